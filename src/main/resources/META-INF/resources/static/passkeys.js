// Passkey accounts: sign up and sign in with WebAuthn, through the browser's own JSON forms of the
// ceremony (PublicKeyCredential.parseCreationOptionsFromJSON / parseRequestOptionsFromJSON and the
// credential's toJSON()); the server checks the answer and opens the same session as a wallet's.
// Signing up shows the account's recovery code once; the code signs in once when the passkeys are lost.
(function () {
  const panel = document.getElementById('passkey');
  if (!panel) return;
  const status = document.getElementById('passkey-status');
  const signUp = document.getElementById('passkey-signup-button');
  const signIn = document.getElementById('passkey-signin-button');
  const next = /^\/(?![\/\\])[^\\\u0000-\u0020\u007f]*$/.test(panel.dataset.next || '') ? panel.dataset.next : '/';
  const supported = window.PublicKeyCredential && typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function';

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle('error', !!isError);
  }

  async function post(path, body) {
    const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body || {}), credentials: 'same-origin' });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.title || ('The server answered ' + response.status));
    return answer;
  }

  async function run(button, ceremony, report) {
    button.disabled = true;
    try {
      if (await ceremony() !== false) location.assign(next);
    } catch (e) {
      (report || say)(e.name === 'NotAllowedError' ? 'The passkey prompt was closed or timed out; nothing changed.' : (e.message || String(e)), true);
      button.disabled = false;
    }
  }

  const recovery = document.getElementById('recovery-button');
  const recoveryStatus = document.getElementById('recovery-status');
  recovery.addEventListener('click', () => run(recovery, async () => {
    recoveryStatus.textContent = 'Checking the recovery code…';
    recoveryStatus.classList.remove('error');
    await post('/api/passkeys/recovery', { address: document.getElementById('recovery-address').value.trim(),
      code: document.getElementById('recovery-code-input').value.trim() });
    location.assign('/account');
    return false;
  }, (text, isError) => { recoveryStatus.textContent = text; recoveryStatus.classList.toggle('error', !!isError); }));

  if (!supported) {
    say('This browser cannot use passkeys here; use a current Chrome, Edge, Safari or Firefox.', true);
    signUp.disabled = true;
    signIn.disabled = true;
    return;
  }

  signUp.addEventListener('click', () => run(signUp, async () => {
    say('Your browser asks you to create a passkey…');
    const options = await post('/api/passkeys/registration/options', { displayName: document.getElementById('passkey-name').value });
    const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) });
    say('Checking the new passkey…');
    const account = await post('/api/passkeys/registration', { handle: options.handle, credential: credential.toJSON() });
    say('');
    document.getElementById('recovery-code').textContent = account.recoveryCode;
    document.getElementById('recovery-code-panel').hidden = false;
    document.getElementById('recovery-code-saved').addEventListener('click', () => location.assign(next));
    return false;
  }));

  signIn.addEventListener('click', () => run(signIn, async () => {
    say('Your browser asks you to choose a passkey…');
    const options = await post('/api/passkeys/sign-in/options', {});
    const credential = await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options.publicKey) });
    say('Checking the passkey…');
    await post('/api/passkeys/sign-in', { credential: credential.toJSON() });
  }));
})();
