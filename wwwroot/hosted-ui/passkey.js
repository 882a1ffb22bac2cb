// Passkeys on the hosted pages (a file, as the strict CSP allows no inline script). A form with data-passkey carries
// the options Portal issued: "get" signs in (the button, and the browser's passkey autofill where it has conditional
// UI), "create" adds a passkey. The browser's answer goes back in the form's hidden "credential" field as JSON.
(() => {
  'use strict';
  const form = document.querySelector('form[data-passkey]');
  if (!form || !window.PublicKeyCredential || !navigator.credentials) return;
  const button = form.querySelector('.passkey-button');
  const error = form.querySelector('.passkey-error');
  const options = JSON.parse(form.dataset.options);

  const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')),
    (c) => c.charCodeAt(0));
  const text = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const descriptors = (list) => (list || []).map((c) => ({ ...c, id: bytes(c.id) }));

  const json = (credential) => {
    const r = credential.response;
    const response = r.attestationObject
      ? { clientDataJSON: text(r.clientDataJSON), attestationObject: text(r.attestationObject), transports: r.getTransports ? r.getTransports() : [] }
      : {
        clientDataJSON: text(r.clientDataJSON), authenticatorData: text(r.authenticatorData), signature: text(r.signature),
        userHandle: r.userHandle ? text(r.userHandle) : null,
      };
    return {
      id: credential.id, rawId: text(credential.rawId), type: credential.type, response,
      authenticatorAttachment: credential.authenticatorAttachment || null, clientExtensionResults: credential.getClientExtensionResults(),
    };
  };
  const send = (credential) => {
    form.elements.credential.value = JSON.stringify(json(credential));
    form.submit();
  };
  const failed = (e) => {
    if (e && e.name === 'AbortError') return;
    error.textContent = form.dataset.error;
    error.hidden = false;
  };

  if (form.dataset.passkey === 'create') {
    const publicKey = { ...options, challenge: bytes(options.challenge), user: { ...options.user, id: bytes(options.user.id) },
      excludeCredentials: descriptors(options.excludeCredentials) };
    button.addEventListener('click', () => navigator.credentials.create({ publicKey }).then(send, failed));
    button.hidden = false;
    return;
  }

  const publicKey = { ...options, challenge: bytes(options.challenge), allowCredentials: descriptors(options.allowCredentials) };
  let pending = null;
  const get = (mediation) => {
    if (pending) pending.abort();
    pending = new AbortController();
    return navigator.credentials.get({ publicKey, mediation, signal: pending.signal });
  };
  button.addEventListener('click', () => get('optional').then(send, failed));
  button.hidden = false;
  // The browser's autofill offers the passkeys it holds in the username field (autocomplete="username webauthn"); not
  // again on the page that says a passkey just failed, so a refused passkey is not offered in a loop.
  if (PublicKeyCredential.isConditionalMediationAvailable && !document.getElementById('form-error')) {
    PublicKeyCredential.isConditionalMediationAvailable().then((yes) => {
      if (yes) get('conditional').then(send, () => {});
    });
  }
})();
