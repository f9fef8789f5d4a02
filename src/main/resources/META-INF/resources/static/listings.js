// The slot market: buy a listed slot, or part of a listed reservation, with the visitor's own wallet:
// approve SlotMarket to take the price in BCT, then buy or buyPart (the tokens go to the seller and
// the slot, or the part cut off it, to the buyer in one transaction; the rest stays listed).
(function () {
  const section = document.getElementById('listings-page');
  if (!section) return;
  const d = section.dataset;
  const w = window.bcWallet;
  const status = document.getElementById('listings-status');
  const buttons = section.querySelectorAll('.buy-button');
  const forms = section.querySelectorAll('.buy-part-form');
  if (!w.provider || !d.slotMarket) {
    document.getElementById('wallet-missing').hidden = !!w.provider;
    buttons.forEach(b => { b.disabled = true; });
    forms.forEach(f => { f.querySelector('button').disabled = true; });
    return;
  }

  // pays `cost` with the wallet's tokens: approve SlotMarket first where it may not take that much yet, then `purchase`
  async function pay(control, id, cost, what, purchase) {
    control.disabled = true;
    try {
      const from = await w.connected(d);
      const held = BigInt(await w.call(d.token, d.balanceOf + w.abi.address(from)));
      if (held < cost) throw new Error(what + ' costs ' + w.tokens(cost) + ' BCT; your wallet holds ' + w.tokens(held) + ' BCT.');
      const allowed = BigInt(await w.call(d.token, d.allowance + w.abi.address(from) + w.abi.address(d.slotMarket)));
      if (allowed < cost) {
        w.say(status, 'Step 1 of 2: let SlotMarket take ' + w.tokens(cost) + ' BCT (approve) in your wallet…');
        await w.send(from, d.token, d.approve + w.abi.address(d.slotMarket) + w.abi.uint(cost), 'approve the tokens');
      }
      w.say(status, (allowed < cost ? 'Step 2 of 2: ' : '') + 'buy ' + what.toLowerCase() + ' for ' + w.tokens(cost) + ' BCT in your wallet…');
      await purchase(from);
      w.say(status, 'Bought; waiting for the marketplace to read it…');
      await w.reloadWhen(page => !page.getElementById('listing-' + id), status);
    } catch (e) {
      w.say(status, w.reason(e), true);
      control.disabled = false;
    }
  }

  // maxPrice = the price shown: a seller who raises it meanwhile makes the purchase revert, never cost more
  buttons.forEach(button => button.addEventListener('click', () => {
    const id = button.dataset.slot;
    const price = BigInt(button.dataset.price);
    pay(button, id, price, 'Slot ' + id,
      from => w.send(from, d.slotMarket, d.buy + w.abi.uint(id) + w.abi.uint(price), 'buy this slot'));
  }));

  // The part a form asks for, and its cost as SlotMarket.buyPart computes it: ceil(price x part / whole), in GPU-seconds
  function part(form) {
    const f = form.dataset;
    const start = w.seconds(form.elements.from.value);
    const end = w.seconds(form.elements.to.value);
    const text = form.elements.gpus.value.trim();
    if (start === null || end === null || start % 3600n !== 0n || end % 3600n !== 0n) {
      throw new Error('Give the part\'s start and end as whole hours in UTC, such as 2026-12-04T12:00:00Z.');
    }
    if (start < BigInt(f.start) || end > BigInt(f.end) || start >= end) throw new Error('The part must lie inside the listed window.');
    if (!/^[0-9]{1,4}$/.test(text) || +text < 1 || +text > +f.gpus) throw new Error('Give from 1 to ' + f.gpus + ' GPUs.');
    const gpus = BigInt(text);
    const whole = BigInt(f.gpus) * (BigInt(f.end) - BigInt(f.start));
    const cost = (BigInt(f.price) * gpus * (end - start) + whole - 1n) / whole;
    return { start, end, gpus, cost };
  }

  forms.forEach(form => {
    const output = form.querySelector('.part-cost');
    const show = () => {
      try {
        const p = part(form);
        output.textContent = 'costs ' + w.tokens(p.cost) + ' BCT';
        output.classList.remove('error');
      } catch (e) {
        output.textContent = e.message;
        output.classList.add('error');
      }
    };
    form.addEventListener('input', show);
    show();
    form.addEventListener('submit', event => {
      event.preventDefault();
      const id = form.dataset.slot;
      const button = form.querySelector('button');
      let p;
      try {
        p = part(form);
      } catch (e) {
        w.say(status, e.message, true);
        return;
      }
      pay(button, id, p.cost, 'Part of slot ' + id, from => w.send(from, d.slotMarket, d.buyPart + w.abi.uint(id) + w.abi.uint(p.start)
        + w.abi.uint(p.end) + w.abi.uint(p.gpus) + w.abi.uint(p.cost), 'buy this part'));
    });
  });
})();
