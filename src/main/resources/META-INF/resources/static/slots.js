// The slots page: split (by time or GPU count), merge, set the user (ERC-4907), list on SlotMarket
// and cancel a listing, each a transaction the visitor's own wallet signs (see market-wallet.js).
(function () {
  const section = document.getElementById('slots-page');
  if (!section) return;
  const d = section.dataset;
  const w = window.bcWallet;
  const status = document.getElementById('slots-status');
  const row = id => page => page.getElementById('slot-' + id);

  if (!w.provider || !d.slots) { // no wallet, or no contracts yet: nothing here can act
    document.getElementById('wallet-missing').hidden = !!w.provider;
    section.querySelectorAll('form button, .cancel-button').forEach(b => { b.disabled = true; });
    return;
  }

  // runs one action: its transactions, then waits for the page to show what changed
  async function act(button, steps, shown) {
    button.disabled = true;
    try {
      const from = await w.connected(d);
      await steps(from);
      w.say(status, 'Done on chain; waiting for the marketplace to read it…');
      await w.reloadWhen(shown, status);
    } catch (e) {
      w.say(status, w.reason(e), true);
      button.disabled = false;
    }
  }

  function onSubmit(selector, handler) {
    section.querySelectorAll(selector).forEach(form => form.addEventListener('submit', event => {
      event.preventDefault();
      const button = form.querySelector('button');
      try {
        handler(form, form.dataset.slot, button);
      } catch (e) {
        w.say(status, w.reason(e), true);
      }
    }));
  }

  onSubmit('.split-time-form', (form, id, button) => {
    const at = w.seconds(form.elements.at.value);
    if (at === null || at % 3600n !== 0n) throw new Error('Split at a whole hour in UTC, such as 2026-12-04T12:00:00Z.');
    w.say(status, 'Splitting slot ' + id + ' at ' + form.elements.at.value + ' in your wallet…');
    act(button, from => w.send(from, d.slots, d.splitAt + w.abi.uint(id) + w.abi.uint(at), 'split this slot there'),
      page => !row(id)(page));
  });

  onSubmit('.split-count-form', (form, id, button) => {
    const gpus = form.elements.gpus.value.trim();
    if (!/^[0-9]{1,4}$/.test(gpus) || +gpus < 1) throw new Error('Give the GPUs of the first piece, a whole number.');
    w.say(status, 'Splitting ' + gpus + ' GPUs off slot ' + id + ' in your wallet…');
    act(button, from => w.send(from, d.slots, d.splitByCount + w.abi.uint(id) + w.abi.uint(gpus), 'split this slot by count'),
      page => !row(id)(page));
  });

  onSubmit('.transfer-form', (form, id, button) => {
    const to = form.elements.to.value.trim().toLowerCase();
    if (!/^0x[0-9a-f]{40}$/.test(to)) throw new Error('Give the address to transfer the slot to, 0x and 40 hex digits.');
    w.say(status, 'Transferring slot ' + id + ' to ' + to + '…');
    act(button, from => w.send(from, d.slots, d.transferFrom + w.abi.address(from) + w.abi.address(to) + w.abi.uint(id), 'transfer this slot'),
      page => !row(id)(page));
  });

  onSubmit('.user-form', (form, id, button) => {
    const user = form.elements.user.value.trim().toLowerCase();
    if (user !== '' && !/^0x[0-9a-f]{40}$/.test(user)) throw new Error('A user is an address, 0x and 40 hex digits (empty: nobody).');
    const until = user === '' ? 0n : w.seconds(form.elements.until.value);
    if (until === null) throw new Error('Say until when, an instant in UTC such as 2026-12-05T00:00:00Z.');
    const who = user === '' ? '0x' + '0'.repeat(40) : user;
    w.say(status, (user === '' ? 'Clearing the user of slot ' : 'Lending slot ') + id + ' in your wallet…');
    act(button, from => w.send(from, d.slots, d.setUser + w.abi.uint(id) + w.abi.address(who) + w.abi.uint(until), 'set the user'),
      page => row(id)(page) && row(id)(page).dataset.user === (user === '' ? '' : user));
  });

  onSubmit('.list-form', (form, id, button) => {
    const price = w.baseUnits(form.elements.price.value);
    if (price === null || price === 0n) throw new Error('Give a price in BCT, such as 10 or 2.5 (at most 18 decimals).');
    act(button, async from => {
      const approved = BigInt(await w.call(d.slots, d.isApprovedForAll + w.abi.address(from) + w.abi.address(d.slotMarket)));
      if (approved === 0n) {
        w.say(status, 'Step 1 of 2: let SlotMarket move your slots when they sell (setApprovalForAll) in your wallet…');
        await w.send(from, d.slots, d.setApprovalForAll + w.abi.address(d.slotMarket) + w.abi.bool(true), 'approve SlotMarket');
      }
      w.say(status, (approved === 0n ? 'Step 2 of 2: ' : '') + 'list slot ' + id + ' for ' + w.tokens(price) + ' BCT in your wallet…');
      await w.send(from, d.slotMarket, d.list + w.abi.uint(id) + w.abi.uint(price), 'list this slot');
    }, page => row(id)(page) && row(id)(page).dataset.listed === price.toString());
  });

  section.querySelectorAll('.cancel-button').forEach(button => button.addEventListener('click', () => {
    const id = button.dataset.slot;
    w.say(status, 'Cancelling the listing of slot ' + id + ' in your wallet…');
    act(button, from => w.send(from, d.slotMarket, d.cancel + w.abi.uint(id), 'cancel this listing'),
      page => row(id)(page) && row(id)(page).dataset.listed === '');
  }));

  const merge = document.getElementById('merge-form');
  if (merge) {
    merge.addEventListener('submit', event => {
      event.preventDefault();
      const first = merge.elements.first.value;
      const second = merge.elements.second.value;
      if (!first || !second || first === second) {
        w.say(status, 'Choose two different reserved slots to merge.', true);
        return;
      }
      w.say(status, 'Merging slots ' + first + ' and ' + second + ' in your wallet…');
      act(merge.querySelector('button'), from => w.send(from, d.slots, d.merge + w.abi.uint(first) + w.abi.uint(second), 'merge these slots'),
        page => !row(first)(page) && !row(second)(page));
    });
  }
})();
