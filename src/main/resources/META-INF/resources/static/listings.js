// The slot market: buy a listed slot with the visitor's own wallet: approve SlotMarket to take the
// price in BCT, then buy (the tokens go to the seller and the slot to the buyer in one transaction).
(function () {
  const section = document.getElementById('listings-page');
  if (!section) return;
  const d = section.dataset;
  const w = window.bcWallet;
  const status = document.getElementById('listings-status');
  const buttons = section.querySelectorAll('.buy-button');
  if (!w.provider || !d.slotMarket) {
    document.getElementById('wallet-missing').hidden = !!w.provider;
    buttons.forEach(b => { b.disabled = true; });
    return;
  }
  buttons.forEach(button => button.addEventListener('click', async () => {
    const id = button.dataset.slot;
    const price = BigInt(button.dataset.price);
    button.disabled = true;
    try {
      const from = await w.connected(d);
      const held = BigInt(await w.call(d.token, d.balanceOf + w.abi.address(from)));
      if (held < price) throw new Error('This slot costs ' + w.tokens(price) + ' BCT; your wallet holds ' + w.tokens(held) + ' BCT.');
      const allowed = BigInt(await w.call(d.token, d.allowance + w.abi.address(from) + w.abi.address(d.slotMarket)));
      if (allowed < price) {
        w.say(status, 'Step 1 of 2: let SlotMarket take ' + w.tokens(price) + ' BCT (approve) in your wallet…');
        await w.send(from, d.token, d.approve + w.abi.address(d.slotMarket) + w.abi.uint(price), 'approve the tokens');
      }
      w.say(status, (allowed < price ? 'Step 2 of 2: ' : '') + 'buy slot ' + id + ' for ' + w.tokens(price) + ' BCT in your wallet…');
      // maxPrice = the listed price: a seller who raises it meanwhile makes the purchase revert, never cost more
      await w.send(from, d.slotMarket, d.buy + w.abi.uint(id) + w.abi.uint(price), 'buy this slot');
      w.say(status, 'Bought; waiting for the marketplace to read it…');
      await w.reloadWhen(page => !page.getElementById('listing-' + id), status);
    } catch (e) {
      w.say(status, w.reason(e), true);
      button.disabled = false;
    }
  }));
})();
