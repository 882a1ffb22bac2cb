// Portal's mail, caught by a real SMTP server (npm smtp-server) listening on PORTAL_SMTP_PORT, where test.sh points
// Portal's SMTP: the suites that read mailed codes (sign-up, password reset, email OTP) start it for their file.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SMTPServer } from 'smtp-server';

const smtpPort = Number(process.env.PORTAL_SMTP_PORT ?? 2525);

/** The decoded text of a MIME message's single part (7bit, quoted-printable or base64). */
function bodyOf(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    return body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
  }
  return body;
}

/** Starts the SMTP server before the file's tests and stops it after them; answers how to read a mailed code. */
export function catchMail() {
  const mails = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (c) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  before(() => new Promise((resolve, reject) => { smtp.once('error', reject); smtp.listen(smtpPort, '127.0.0.1', resolve); }));
  after(() => new Promise((resolve) => smtp.close(resolve)));

  /** The code (6 digits, or as many as asked) of the count-th mail to an address, waiting for it a little. */
  async function codeFor(address, count = 1, digits = 6) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const received = mails.filter((m) => m.to.includes(address.toLowerCase()));
      if (received.length >= count) {
        const match = new RegExp(`\\b(\\d{${digits}})\\b`).exec(bodyOf(received[count - 1].raw));
        assert.ok(match, `the mail holds a ${digits}-digit code`);
        return match[1];
      }
      assert.ok(Date.now() < deadline, `no mail #${count} to ${address} arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  /** The decoded text of the count-th mail to an address, waiting for it a little. */
  async function textFor(address, count = 1) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const received = mails.filter((m) => m.to.includes(address.toLowerCase()));
      if (received.length >= count) return bodyOf(received[count - 1].raw);
      assert.ok(Date.now() < deadline, `no mail #${count} to ${address} arrived`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** How many mails an address has received so far. */
  const countFor = (address) => mails.filter((m) => m.to.includes(address.toLowerCase())).length;

  return { codeFor, textFor, countFor };
}
