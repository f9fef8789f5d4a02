// The account page's managed wallet (passkey accounts): the linked wallet (linked with a message the
// browser wallet signs), withdrawing everything to it, and the log of what the platform signed.
(function () {
  const section = document.getElementById('custody');
  if (!section) return;
  const status = document.getElementById('custody-status');
  const linkButton = document.getElementById('link-wallet-button');
  const withdrawButton = document.getElementById('withdraw-button');
  const say = (text, isError) => { status.textContent = text; status.classList.toggle('error', !!isError); };
  const toHex = text => '0x' + Array.from(new TextEncoder().encode(text), b => b.toString(16).padStart(2, '0')).join('');
  const cell = (row, text) => { const td = row.insertCell(); td.textContent = text; return td; };

  async function api(method, path, body) {
    const response = await fetch(path, { method: method, headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 204) return null;
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.title || ('The server answered ' + response.status));
    return answer;
  }

  async function showLink() {
    const link = await api('GET', '/api/me/linked-wallet');
    document.getElementById('withdrawal-delay').textContent = link.withdrawalDelay;
    document.getElementById('linked-wallet').textContent = link.linked ? link.wallet : 'none';
    document.getElementById('withdrawals-from').textContent = link.linked ? link.withdrawalsFrom : '-';
    withdrawButton.disabled = !link.linked;
    section.dataset.linked = link.linked ? link.wallet : '';
  }

  async function showActs() {
    const acts = await api('GET', '/api/wallet/acts?limit=100');
    const body = document.querySelector('#acts tbody');
    body.replaceChildren();
    if (acts.length === 0) {
      cell(body.insertRow(), 'Nothing yet.').colSpan = 5;
    }
    acts.forEach(act => {
      const row = body.insertRow();
      row.className = 'act';
      row.dataset.status = act.status;
      row.dataset.act = act.act;
      cell(row, act.requestedAt);
      cell(row, act.act);
      cell(row, act.description);
      cell(row, act.status + (act.error ? ': ' + act.error : ''));
      const tx = row.insertCell();
      if (act.txHash) {
        const code = document.createElement(act.explorerUrl ? 'a' : 'code');
        code.textContent = act.txHash.slice(0, 10) + '…';
        code.title = act.txHash;
        if (act.explorerUrl) code.href = act.explorerUrl;
        tx.appendChild(code);
      }
    });
    return acts;
  }

  linkButton.addEventListener('click', async () => {
    if (!window.ethereum || typeof window.ethereum.request !== 'function') {
      say('No browser wallet found (window.ethereum): open this page in a browser with the wallet to link.', true);
      return;
    }
    linkButton.disabled = true;
    try {
      const accounts = await window.ethereum.request({ method: 'eth_requestAccounts' });
      if (!accounts || accounts.length === 0) throw new Error('The wallet shared no account.');
      const { message } = await api('POST', '/api/me/linked-wallet/message', { address: accounts[0] });
      say('Sign the message in your wallet: it links the wallet to this account…');
      const signature = await window.ethereum.request({ method: 'personal_sign', params: [toHex(message), accounts[0]] });
      await api('PUT', '/api/me/linked-wallet', { message: message, signature: signature });
      await showLink();
      say('Linked. You can sign in with this wallet too.');
    } catch (e) {
      say(e && e.message ? e.message : String(e), true);
    } finally {
      linkButton.disabled = false;
    }
  });

  withdrawButton.addEventListener('click', async () => {
    withdrawButton.disabled = true;
    try {
      const acts = await api('POST', '/api/wallet/withdrawal');
      say('Withdrawing ' + acts.length + ' assets; each is in the log below once it is on chain…');
      for (let i = 0; i < 600; i++) {
        const log = await showActs();
        const mine = log.filter(a => acts.some(w => w.key === a.key));
        const failed = mine.filter(a => a.status === 'FAILED');
        if (failed.length > 0) throw new Error('A withdrawal failed: ' + failed[0].description + ' (' + (failed[0].error || 'failed') + ')');
        if (mine.length === acts.length && mine.every(a => a.status === 'CONFIRMED')) {
          say('Withdrawn: ' + acts.length + ' assets are in your linked wallet.');
          status.dataset.withdrawn = acts.length;
          return;
        }
        await new Promise(resolve => setTimeout(resolve, 500));
      }
      say('The withdrawals are still on their way; reload the page in a moment.', true);
    } catch (e) {
      say(e && e.message ? e.message : String(e), true);
    } finally {
      withdrawButton.disabled = false;
    }
  });

  showLink().then(showActs).catch(e => say(e && e.message ? e.message : String(e), true));
})();
