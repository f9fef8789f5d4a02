// Burning tokens for Data Credits with an injected EIP-1193 wallet (window.ethereum): approve, then
// burnForCredits. The calldata is ABI-encoded here by hand (two static calls, no library): the
// 4-byte selectors come from the page (the server computes them with keccak-256), every argument is
// one 32-byte word.
(function () {
  const section = document.getElementById('burn');
  if (!section) return;
  const d = section.dataset;
  const status = document.getElementById('burn-status');
  const faucetButton = document.getElementById('faucet-button');
  const wallet = window.bcManagedWallet // a passkey account's managed wallet (managed-wallet.js), else the browser's
    || (window.ethereum && typeof window.ethereum.request === 'function' ? window.ethereum : null);

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle('error', !!isError);
  }

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  // "1.5" tokens -> base units (18 decimals) as a BigInt; null when it is not such a number
  function baseUnits(text) {
    const m = /^([0-9]{1,59})(?:\.([0-9]{1,18}))?$/.exec(text.trim());
    return m ? BigInt(m[1]) * 10n ** 18n + BigInt((m[2] || '').padEnd(18, '0')) : null;
  }

  function tokens(units) {
    const whole = units / 10n ** 18n;
    const fraction = (units % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
    return whole.toString() + (fraction ? '.' + fraction : '');
  }

  const word = hex => hex.padStart(64, '0');
  const uint256 = n => word(n.toString(16));
  const address = a => word(a.toLowerCase().replace(/^0x/, ''));
  const approveData = amount => d.approve + address(d.burner) + uint256(amount);
  const burnData = amount => d.burn + uint256(amount) + d.account.replace(/^0x/, '');

  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

  async function mined(hash) {
    for (let i = 0; i < 600; i++) {
      const receipt = await wallet.request({ method: 'eth_getTransactionReceipt', params: [hash] });
      if (receipt) {
        if (receipt.status !== '0x1') {
          throw new Error('The chain reverted transaction ' + hash + '. If the price is stale or missing the contract refuses'
            + ' every burn; reload the page to see the price.');
        }
        return receipt;
      }
      await sleep(500);
    }
    throw new Error('Transaction ' + hash + ' was not mined within five minutes.');
  }

  async function quote(amount) {
    const response = await fetch('/api/credits/quote', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify({ tokens: amount.toString() })
    });
    if (!response.ok) throw new Error(await problem(response));
    return response.json();
  }

  async function connected() {
    const accounts = await wallet.request({ method: 'eth_requestAccounts' });
    const from = accounts && accounts[0] ? accounts[0].toLowerCase() : null;
    if (from !== d.wallet) {
      throw new Error('Your wallet is connected with ' + (from || 'no account') + ', but you are signed in as ' + d.wallet
        + ': switch the wallet to that account (the credits go to the account you are signed in with).');
    }
    const chainId = await wallet.request({ method: 'eth_chainId' });
    if (parseInt(chainId, 16) !== parseInt(d.chainId, 16)) {
      throw new Error('Your wallet is on chain ' + parseInt(chainId, 16) + '; switch it to chain ' + parseInt(d.chainId, 16) + '.');
    }
    return from;
  }

  async function credited(hash) {
    for (let i = 0; i < 240; i++) {
      const response = await fetch('/api/credits/burns?limit=20', { headers: { 'Accept': 'application/json' } });
      if (response.ok) {
        const burn = (await response.json()).find(b => b.txHash === hash.toLowerCase());
        if (burn) return burn;
      }
      await sleep(500);
    }
    throw new Error('The burn ' + hash + ' is on chain but not credited yet; it will be once the marketplace reads it.');
  }

  const form = document.getElementById('burn-form');
  if (form && wallet) {
    form.hidden = false;
    document.getElementById('burn-no-provider').hidden = true;
    const input = document.getElementById('burn-tokens');
    const quoteOut = document.getElementById('burn-quote');
    const button = document.getElementById('burn-button');

    input.addEventListener('input', async () => {
      const amount = baseUnits(input.value);
      if (amount === null || amount === 0n) { say(quoteOut, ''); return; }
      try {
        const q = await quote(amount);
        say(quoteOut, q.dc > 0 ? '= ' + q.dc + ' DC' : 'too little: at least ' + tokens(BigInt(q.smallestBurn)) + ' BCT buys 1 DC', q.dc === 0);
      } catch (e) {
        say(quoteOut, e.message, true);
      }
    });

    form.addEventListener('submit', async event => {
      event.preventDefault();
      const amount = baseUnits(input.value);
      if (amount === null || amount === 0n) {
        say(status, 'Give an amount of tokens such as 10 or 0.5 (at most 18 decimals).', true);
        return;
      }
      button.disabled = true;
      try {
        const from = await connected();
        const q = await quote(amount);
        if (q.dc === 0) throw new Error('Burning ' + tokens(amount) + ' BCT buys no Data Credit; burn at least ' + tokens(BigInt(q.smallestBurn)) + ' BCT.');
        say(status, 'Step 1 of 2: approve CreditsBurner to take ' + tokens(amount) + ' BCT in your wallet…');
        const approval = await wallet.request({ method: 'eth_sendTransaction', params: [{ from: from, to: d.token, data: approveData(amount) }] });
        await mined(approval);
        say(status, 'Step 2 of 2: burn ' + tokens(amount) + ' BCT for about ' + q.dc + ' DC in your wallet…');
        const burn = await wallet.request({ method: 'eth_sendTransaction', params: [{ from: from, to: d.burner, data: burnData(amount) }] });
        await mined(burn);
        say(status, 'Burned in ' + burn + '; waiting for the marketplace to credit it…');
        const done = await credited(burn);
        say(status, 'Credited ' + done.dc + ' DC for ' + tokens(BigInt(done.tokens)) + ' BCT (transaction ' + burn + ').');
        status.dataset.credited = done.dc;
      } catch (e) {
        say(status, (e && e.message) ? e.message : String(e), true);
      } finally {
        button.disabled = false;
      }
    });
  }

  if (faucetButton) {
    const faucetStatus = document.getElementById('faucet-status');
    faucetButton.addEventListener('click', async () => {
      faucetButton.disabled = true;
      try {
        const response = await fetch('/api/credits/faucet', { method: 'POST', headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' } });
        if (!response.ok) throw new Error(await problem(response));
        const grant = await response.json();
        say(faucetStatus, 'Sent; waiting for the chain…');
        if (!wallet) { setTimeout(() => location.reload(), 5000); return; }
        for (let i = 0; i < 240; i++) {
          const ether = BigInt(await wallet.request({ method: 'eth_getBalance', params: [d.wallet, 'latest'] }));
          const held = BigInt(await wallet.request({ method: 'eth_call', params: [{ to: d.token, data: d.balanceOf + address(d.wallet) }, 'latest'] }));
          if (ether > 0n && (grant.tokens === '0' || held > 0n)) {
            location.reload();
            return;
          }
          await sleep(500);
        }
        throw new Error('The faucet\'s transactions are not confirmed yet; reload the page in a moment.');
      } catch (e) {
        say(faucetStatus, (e && e.message) ? e.message : String(e), true);
        faucetButton.disabled = false;
      }
    });
  }
})();
