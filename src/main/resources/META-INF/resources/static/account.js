// The account page's passkeys (add, rename, remove), recovery code and e-mail address, through the
// JSON API under /api/me with the session cookie; the server checks and refuses, this only shows it.
(function () {
  async function call(method, path, body) {
    const response = await fetch(path, { method: method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.title || ('The server answered ' + response.status));
    return answer;
  }

  function sayer(id) {
    const status = document.getElementById(id);
    return (text, isError) => {
      status.textContent = text;
      status.classList.toggle('error', !!isError);
    };
  }

  async function run(button, say, action) {
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      say(e.name === 'NotAllowedError' ? 'The passkey prompt was closed or timed out; nothing changed.' : (e.message || String(e)), true);
    } finally {
      button.disabled = false;
    }
  }

  const passkeys = document.getElementById('passkeys');
  if (passkeys) {
    const say = sayer('passkeys-status');
    const add = document.getElementById('add-passkey-button');
    if (!window.PublicKeyCredential || typeof PublicKeyCredential.parseCreationOptionsFromJSON !== 'function') {
      add.disabled = true;
      say('This browser cannot make passkeys here; use a current Chrome, Edge, Safari or Firefox to add one.', true);
    }
    add.addEventListener('click', () => run(add, say, async () => {
      say('Your browser asks you to create a passkey…');
      const options = await call('POST', '/api/me/passkeys/options');
      const credential = await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options.publicKey) });
      say('Checking the new passkey…');
      const name = document.getElementById('new-passkey-name').value.trim();
      await call('POST', '/api/me/passkeys', { name: name || null, credential: credential.toJSON() });
      location.reload();
    }));
    passkeys.querySelectorAll('#passkey-list tr[data-id]').forEach(row => {
      const path = '/api/me/passkeys/' + encodeURIComponent(row.dataset.id);
      const rename = row.querySelector('.passkey-rename');
      rename.addEventListener('click', () => run(rename, say, async () => {
        const renamed = await call('PATCH', path, { name: row.querySelector('.passkey-name').value });
        say('Renamed to ' + renamed.name + '.');
      }));
      const remove = row.querySelector('.passkey-remove');
      remove.addEventListener('click', () => run(remove, say, async () => {
        await call('DELETE', path);
        location.reload();
      }));
    });

    const newCode = document.getElementById('new-recovery-code-button');
    const sayCode = sayer('recovery-status');
    newCode.addEventListener('click', () => run(newCode, sayCode, async () => {
      const answer = await call('POST', '/api/me/recovery-code');
      document.getElementById('new-recovery-code-value').textContent = answer.recoveryCode;
      document.getElementById('new-recovery-code').hidden = false;
      document.getElementById('recovery-state').hidden = true;
      sayCode('');
    }));
  }

  const email = document.getElementById('email-form');
  if (email) {
    const say = sayer('email-status');
    email.addEventListener('submit', event => {
      event.preventDefault();
      const button = email.querySelector('button');
      run(button, say, async () => {
        const value = document.getElementById('email-input').value.trim();
        const me = await call('PUT', '/api/me/email', { email: value || null });
        say(me.email ? 'Saved: receipts would go to ' + me.email + '.' : 'Removed: this account has no e-mail address.');
      });
    });
  }
})();
