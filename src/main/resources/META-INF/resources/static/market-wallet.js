// What the slot pages share for on-chain actions with an injected EIP-1193 wallet (window.ethereum):
// ABI words by hand (every argument of these calls is one static 32-byte word; the 4-byte selectors
// come from the page, computed by the server with keccak-256), sending a transaction and waiting for
// it to be mined, and waiting until the marketplace's mirror of the chain shows the change (the page
// is fetched again until a check on it holds, then reloaded).
window.bcWallet = (function () {
  // a passkey account's managed wallet (managed-wallet.js), else the browser's wallet
  const provider = window.bcManagedWallet
    || (window.ethereum && typeof window.ethereum.request === 'function' ? window.ethereum : null);
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

  const word = hex => hex.padStart(64, '0');
  const abi = {
    uint: n => word(BigInt(n).toString(16)),
    address: a => word(a.toLowerCase().replace(/^0x/, '')),
    bool: b => word(b ? '1' : '0')
  };

  function say(element, text, isError) {
    if (!element) return;
    element.textContent = text;
    element.classList.toggle('error', !!isError);
  }

  // "1.5" tokens -> base units (18 decimals) as a BigInt; null when it is not such a number
  function baseUnits(text) {
    const m = /^([0-9]{1,59})(?:\.([0-9]{1,18}))?$/.exec((text || '').trim());
    return m ? BigInt(m[1]) * 10n ** 18n + BigInt((m[2] || '').padEnd(18, '0')) : null;
  }

  function tokens(units) {
    const whole = units / 10n ** 18n;
    const fraction = (units % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '');
    return whole.toString() + (fraction ? '.' + fraction : '');
  }

  // "2026-12-04T12:00:00Z" -> seconds since 1970 as a BigInt; null when it is not an instant in UTC
  function seconds(text) {
    const t = (text || '').trim();
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?Z$/.test(t)) return null;
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : BigInt(Math.floor(ms / 1000));
  }

  // the wallet's account, which must be the one signed in, on the marketplace's chain
  async function connected(d) {
    if (!provider) throw new Error('No browser wallet found (window.ethereum).');
    const accounts = await provider.request({ method: 'eth_requestAccounts' });
    const from = accounts && accounts[0] ? accounts[0].toLowerCase() : null;
    if (from !== d.wallet) {
      throw new Error('Your wallet is connected with ' + (from || 'no account') + ', but you are signed in as ' + d.wallet
        + ': switch the wallet to that account.');
    }
    const chainId = await provider.request({ method: 'eth_chainId' });
    if (parseInt(chainId, 16) !== parseInt(d.chainId, 16)) {
      throw new Error('Your wallet is on chain ' + parseInt(chainId, 16) + '; switch it to chain ' + parseInt(d.chainId, 16) + '.');
    }
    return from;
  }

  function reason(e) {
    const text = (e && e.message) ? e.message : String(e);
    return text.length > 400 ? text.slice(0, 400) + '…' : text;
  }

  async function call(to, data) {
    return provider.request({ method: 'eth_call', params: [{ to: to, data: data }, 'latest'] });
  }

  async function mined(hash) {
    for (let i = 0; i < 600; i++) {
      const receipt = await provider.request({ method: 'eth_getTransactionReceipt', params: [hash] });
      if (receipt) {
        if (receipt.status !== '0x1') throw new Error('The chain reverted transaction ' + hash + '.');
        return receipt;
      }
      await sleep(500);
    }
    throw new Error('Transaction ' + hash + ' was not mined within five minutes.');
  }

  // sends one transaction from the wallet (gas estimated first, so that a call the contract refuses
  // is reported before anything is signed) and waits until it is mined
  async function send(from, to, data, what) {
    let gas;
    try {
      gas = BigInt(await provider.request({ method: 'eth_estimateGas', params: [{ from: from, to: to, data: data }] }));
    } catch (e) {
      throw new Error('The contract refuses to ' + what + ': ' + reason(e));
    }
    const hash = await provider.request({ method: 'eth_sendTransaction',
      params: [{ from: from, to: to, data: data, gas: '0x' + (gas * 13n / 10n + 10000n).toString(16) }] });
    return mined(hash);
  }

  // fetches this page again until check(document) holds on it (the marketplace has read the change), then reloads
  async function reloadWhen(check, status) {
    for (let i = 0; i < 240; i++) {
      const response = await fetch(location.pathname + location.search, { headers: { 'Accept': 'text/html' } });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), 'text/html');
        if (check(page)) {
          location.reload();
          return;
        }
      }
      await sleep(500);
    }
    say(status, 'It is on chain; the marketplace has not read it yet. Reload the page in a moment.', true);
  }

  return { provider, abi, say, baseUnits, tokens, seconds, connected, reason, call, send, reloadWhen };
})();
