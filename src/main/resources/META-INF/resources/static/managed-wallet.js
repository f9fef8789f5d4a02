// The managed wallet of a passkey account, as an EIP-1193 provider (window.bcManagedWallet): the
// pages' wallet code asks it what it would ask a browser wallet, and the platform signs (issue 11).
// eth_sendTransaction asks POST /api/wallet/acts (the server checks the call, runs it first, signs
// it with the account's managed key and pays the gas) and answers the transaction's hash once it is
// signed; receipts come from the act's status; eth_call and eth_estimateGas run as calls from the
// wallet (POST /api/wallet/calls), so a call the contract refuses is reported before anything is
// asked. The layout loads this script only for a signed-in passkey account.
window.bcManagedWallet = (function () {
  const meta = document.querySelector('meta[name="bc-managed-wallet"]');
  if (!meta) return null;
  const address = meta.content;
  const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
  const acts = {}; // transaction hash -> act key
  let chainId = null;

  async function api(path, body) {
    const response = await fetch(path, body === undefined ? { headers: { 'Accept': 'application/json' } } : {
      method: 'POST', headers: { 'Accept': 'application/json', 'Content-Type': 'application/json' }, body: JSON.stringify(body)
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || answer.title || ('The server answered ' + response.status));
    return answer;
  }

  async function signed(key) {
    for (let i = 0; i < 1200; i++) {
      const act = await api('/api/wallet/acts/' + encodeURIComponent(key));
      if (act.status === 'FAILED') throw new Error('The platform could not sign or send it: ' + (act.error || 'it failed'));
      if (act.txHash) {
        acts[act.txHash] = key;
        return act.txHash;
      }
      await sleep(250);
    }
    throw new Error('The platform has not signed it within five minutes; see your account\'s log of signed acts.');
  }

  async function receipt(hash) {
    const key = acts[hash];
    if (!key) return null;
    const act = await api('/api/wallet/acts/' + encodeURIComponent(key));
    if (act.status === 'CONFIRMED') return { transactionHash: hash, status: '0x1', blockNumber: '0x' + act.blockNumber.toString(16) };
    if (act.status === 'FAILED') return { transactionHash: hash, status: '0x0', blockNumber: act.blockNumber ? '0x' + act.blockNumber.toString(16) : null };
    return null;
  }

  async function request({ method, params }) {
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [address];
      case 'eth_chainId':
        if (chainId === null) chainId = '0x' + Number((await api('/api/chain')).chainId).toString(16);
        return chainId;
      case 'eth_call':
        return (await api('/api/wallet/calls', { to: params[0].to, data: params[0].data })).result;
      case 'eth_estimateGas':
        await api('/api/wallet/calls', { to: params[0].to, data: params[0].data });
        return '0x0'; // the platform pays the gas, with its own limit
      case 'eth_sendTransaction': {
        const act = await api('/api/wallet/acts', { from: params[0].from, to: params[0].to, data: params[0].data });
        return signed(act.key);
      }
      case 'eth_getTransactionReceipt':
        return receipt(params[0]);
      default:
        throw new Error(method + ' is not something the platform does for a managed wallet.');
    }
  }

  return { request, isManagedWallet: true, address };
})();
