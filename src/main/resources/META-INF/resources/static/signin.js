// Sign-In with Ethereum through an injected EIP-1193 wallet (window.ethereum).
(function () {
  const walletPanel = document.getElementById('wallet');
  const noWalletPanel = document.getElementById('no-wallet');
  const button = document.getElementById('signin-button');
  const status = document.getElementById('signin-status');
  // Where to go after signing in: the server has already reduced ?next= to a path on this site
  // (data-next); it is checked again here so that nothing but a same-origin path is ever followed.
  const next = localPath(walletPanel.dataset.next) || '/';

  function localPath(value) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return null;
    let decoded = value;
    for (let round = 0; round < 3; round++) {
      if (!/^\/(?![\/\\])/.test(decoded) || /[\\\u0000-\u0020\u007f]/.test(decoded)) return null;
      if (decoded.indexOf('%') < 0) break;
      try { decoded = decodeURIComponent(decoded); } catch (e) { return null; }
    }
    if (!/^\/(?![\/\\])/.test(decoded) || /[\\\u0000-\u0020\u007f]/.test(decoded)) return null;
    const url = new URL(value, location.origin);
    return url.origin === location.origin ? url.pathname + url.search + url.hash : null;
  }

  function toHex(text) {
    return '0x' + Array.from(new TextEncoder().encode(text), b => b.toString(16).padStart(2, '0')).join('');
  }

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  async function signIn() {
    button.disabled = true;
    status.textContent = 'Waiting for your wallet…';
    try {
      const accounts = await window.ethereum.request({ method: 'eth_requestAccounts' });
      if (!accounts || accounts.length === 0) {
        throw new Error('The wallet shared no account.');
      }
      const address = accounts[0];
      const challenge = await fetch('/api/auth/message', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ address: address })
      });
      if (!challenge.ok) {
        throw new Error(await problem(challenge));
      }
      const { message } = await challenge.json();
      status.textContent = 'Please sign the message in your wallet…';
      const signature = await window.ethereum.request({ method: 'personal_sign', params: [toHex(message), address] });
      const response = await fetch('/api/auth/siwe', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ message: message, signature: signature })
      });
      if (!response.ok) {
        throw new Error(await problem(response));
      }
      status.textContent = 'Signed in.';
      location.assign(next);
    } catch (e) {
      status.textContent = (e && e.message) ? e.message : String(e);
      status.classList.add('error');
      button.disabled = false;
    }
  }

  if (window.ethereum && typeof window.ethereum.request === 'function') {
    walletPanel.hidden = false;
    document.getElementById('no-wallet-title').textContent = 'Or sign in from the API';
    button.addEventListener('click', signIn);
  }
  noWalletPanel.hidden = false;
})();
