// Progressive help on the hosted sign-in pages; every page works without it.
(() => {
  for (const button of document.querySelectorAll('button[data-reveal]')) {
    const input = document.getElementById(button.dataset.reveal);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      const show = input.type === 'password';
      input.type = show ? 'text' : 'password';
      button.setAttribute('aria-pressed', String(show));
    });
  }
  const checks = {
    length: (v, li) => v.length >= Number(li.dataset.min || 8),
    lower: (v) => /\p{Ll}/u.test(v),
    upper: (v) => /\p{Lu}/u.test(v),
    number: (v) => /\d/.test(v),
    symbol: (v) => /[\^$*.\[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/.test(v),
  };
  for (const list of document.querySelectorAll('ul[data-password-rules]')) {
    const input = document.getElementById(list.dataset.passwordRules);
    if (!input) continue;
    const update = () => {
      for (const li of list.querySelectorAll('li[data-rule]')) {
        const ok = checks[li.dataset.rule](input.value, li);
        li.className = ok ? 'passwordCheck-valid-customizable' : 'passwordCheck-notValid-customizable';
      }
    };
    input.addEventListener('input', update);
    update();
  }
})();
