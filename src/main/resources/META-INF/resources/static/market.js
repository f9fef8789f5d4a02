// The marketplace's quote and order form: POST /api/market/quotes (changes nothing) and
// POST /api/market/orders with an Idempotency-Key made here once per order: sending the same
// order again (a retry after a network error) gives the same order, never a second one.
(function () {
  const form = document.getElementById('order-form');
  if (!form) return;
  const quoteOut = document.getElementById('quote');
  const status = document.getElementById('order-status');
  const kind = document.getElementById('order-kind');
  const windowRow = document.getElementById('order-window');
  const buy = document.getElementById('buy-button');
  let key = null;
  let keyFor = null;

  function say(element, text, isError) {
    element.textContent = text;
    element.classList.toggle('error', !!isError);
  }

  function newKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'page-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
  }

  async function problem(response) {
    try {
      const body = await response.json();
      return body.detail || body.title || response.statusText;
    } catch (e) {
      return response.statusText;
    }
  }

  // the order as the API takes it; throws with a message a person understands
  function body() {
    const gpus = form.elements.gpus.value.trim();
    if (!/^[0-9]{1,4}$/.test(gpus) || +gpus < 1) throw new Error('GPUs: a whole number from 1.');
    const order = { poolId: +form.elements.poolId.value, kind: kind.value, gpus: +gpus };
    if (kind.value === 'RESERVED') {
      const start = Date.parse(form.elements.start.value.trim());
      const hours = form.elements.hours.value.trim();
      if (Number.isNaN(start) || !/Z$/.test(form.elements.start.value.trim())) throw new Error('Start: an instant in UTC, such as 2026-12-04T10:00:00Z.');
      if (!/^[0-9]{1,5}$/.test(hours) || +hours < 1) throw new Error('Hours: a whole number of hours from 1.');
      order.start = new Date(start).toISOString().replace('.000Z', 'Z');
      order.end = new Date(start + hours * 3600000).toISOString().replace('.000Z', 'Z');
    }
    const image = form.elements.image.value.trim();
    const ssh = form.elements.sshPublicKey.value.trim();
    if (image || ssh) {
      order.workload = { image: image, env: {} };
      if (ssh) order.workload.sshPublicKey = ssh;
    }
    return order;
  }

  function showWindow() {
    windowRow.hidden = kind.value !== 'RESERVED';
  }
  kind.addEventListener('change', showWindow);
  document.querySelectorAll('.order-this').forEach(button => button.addEventListener('click', () => {
    form.elements.poolId.value = button.dataset.pool;
    form.scrollIntoView({ behavior: 'smooth' });
    form.elements.gpus.focus();
  }));
  showWindow();

  document.getElementById('quote-button').addEventListener('click', async () => {
    try {
      const response = await fetch('/api/market/quotes', { method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' }, body: JSON.stringify(body()) });
      if (!response.ok) throw new Error(await problem(response));
      const q = await response.json();
      const price = kind.value === 'RESERVED' ? q.priceDc + ' DC in full at purchase' : q.priceDc + ' DC per hour, charged per minute';
      say(quoteOut, price + '; ' + q.freeGpus + ' GPUs free; starts ' + q.start);
      quoteOut.dataset.priceDc = q.priceDc;
    } catch (e) {
      say(quoteOut, e.message, true);
    }
  });

  form.addEventListener('submit', async event => {
    event.preventDefault();
    buy.disabled = true;
    try {
      const order = body();
      const text = JSON.stringify(order);
      if (keyFor !== text) { key = newKey(); keyFor = text; } // the same order again keeps its key
      say(status, 'Ordering…');
      const response = await fetch('/api/market/orders', { method: 'POST', body: text,
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', 'Idempotency-Key': key } });
      if (!response.ok) throw new Error(await problem(response));
      const placed = await response.json();
      keyFor = null;
      say(status, 'Order ' + placed.id + ' placed: ' + placed.status + '.');
      location.assign('/market/rentals#rental-' + placed.id);
    } catch (e) {
      say(status, e.message, true);
      buy.disabled = false;
    }
  });
})();
