// The earnings page's claim: EpochRewards.claim(epoch, account, cumulativeAmount, proof) sent from the
// wallet (EIP-1193), with the proof from GET /api/epochs/{n}/claims/{account} and calldata encoded here.
(function () {
  // a passkey account's managed wallet (managed-wallet.js), else the browser's
  const wallet = () => window.bcManagedWallet || window.ethereum;
  const button = document.getElementById('claim');
  const result = document.getElementById('claim-result');
  if (!button) return;

  const word = (hex) => hex.replace(/^0x/, '').padStart(64, '0');
  const uint = (value) => word(BigInt(value).toString(16));

  // claim(uint256 epoch, address account, uint256 cumulativeAmount, bytes32[] proof): three static words,
  // the offset of the array (4 words in), its length, then its elements.
  function calldata(selector, claim) {
    return selector + uint(claim.epoch) + word(claim.account.toLowerCase()) + uint(claim.cumulativeAmount)
      + uint(4 * 32) + uint(claim.proof.length) + claim.proof.map(word).join('');
  }

  const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms));

  // The transaction's receipt, once it is in a block (about two minutes at most).
  async function confirmed(tx) {
    for (let i = 0; i < 120; i++) {
      const receipt = await wallet().request({ method: 'eth_getTransactionReceipt', params: [tx] });
      if (receipt) return receipt;
      await sleep(1000);
    }
    throw new Error('transaction ' + tx + ' is not in a block after two minutes');
  }

  // Reloads the page once the platform's copy of the chain shows the claim (what "Claimed" reads changes).
  async function reloadOnceMirrored(claimedBefore) {
    for (let i = 0; i < 60; i++) {
      await sleep(1000);
      const page = await fetch(location.pathname, { headers: { Accept: 'text/html' } });
      const claimed = new DOMParser().parseFromString(await page.text(), 'text/html').getElementById('claimed');
      if (claimed && claimed.textContent !== claimedBefore) {
        location.reload();
        return;
      }
    }
  }

  button.addEventListener('click', async () => {
    if (!wallet()) {
      result.textContent = 'A browser wallet (EIP-1193) is needed to claim.';
      return;
    }
    const account = button.dataset.account;
    button.disabled = true;
    try {
      const accounts = await wallet().request({ method: 'eth_requestAccounts' });
      if (!accounts.map(a => a.toLowerCase()).includes(account)) {
        result.textContent = 'Switch the wallet to ' + account + ', the account these rewards belong to.';
        return;
      }
      const response = await fetch('/api/epochs/' + button.dataset.epoch + '/claims/' + account, { headers: { Accept: 'application/json' } });
      if (!response.ok) {
        result.textContent = (await response.json()).detail || response.statusText;
        return;
      }
      const claim = await response.json();
      result.textContent = 'Confirm the claim in your wallet…';
      const tx = await wallet().request({
        method: 'eth_sendTransaction',
        params: [{ from: account, to: button.dataset.contract, data: calldata(button.dataset.selector, claim) }]
      });
      result.textContent = 'Claim sent: ' + tx + '. Waiting for the chain to confirm it…';
      const receipt = await confirmed(tx);
      if (receipt.status !== '0x1') {
        result.textContent = 'The claim was refused on chain (transaction ' + tx + '); nothing was paid.';
        return;
      }
      result.textContent = 'Claimed in transaction ' + tx + '. This page shows it once the platform has read the block.';
      result.dataset.claimed = tx;
      await reloadOnceMirrored(document.getElementById('claimed').textContent);
    } catch (e) {
      result.textContent = 'The claim was not sent: ' + (e && e.message ? e.message : e);
    } finally {
      button.disabled = result.dataset.claimed !== undefined; // claimed: a second claim would pay nothing
    }
  });
})();
