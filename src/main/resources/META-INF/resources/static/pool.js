// The pool page's earnings estimate: one example epoch through POST /api/epochs/simulate.
(function () {
  const run = document.getElementById('est-run');
  const result = document.getElementById('est-result');
  const shares = document.getElementById('shares');
  if (!run || !shares) return;

  function tokens(baseUnits) {
    const value = BigInt(baseUnits);
    const whole = value / 10n ** 18n;
    const fraction = (value % 10n ** 18n).toString().padStart(18, '0').slice(0, 4);
    return whole.toString() + '.' + fraction;
  }

  function address(n) {
    return '0x' + n.toString(16).padStart(40, '0');
  }

  run.addEventListener('click', async () => {
    const allocation = parseInt(document.getElementById('est-allocation').value, 10);
    const count = parseInt(document.getElementById('est-gpus').value, 10);
    const used = parseInt(document.getElementById('est-used').value, 10);
    if (!(allocation > 0) || !(count > 0) || !(used >= 1) || used > count) {
      result.textContent = 'Give a positive allocation, at least one GPU, and between 1 and that many GPUs that served rentals '
        + '(a pool earns only in epochs where its GPUs consumed Data Credits).';
      return;
    }
    const gpus = [];
    for (let i = 0; i < count; i++) {
      gpus.push({ id: 'gpu-' + (i + 1), holder: address(i + 1), onlineSeconds: 86400, dcConsumed: i < used ? 1000000 : 0 });
    }
    const body = {
      emission: (BigInt(allocation) * 10n ** 18n).toString(),
      pools: [{
        id: 'this-pool',
        operatorBps: parseInt(shares.dataset.operatorBps, 10),
        poolBps: parseInt(shares.dataset.poolBps, 10),
        usedGpuBps: parseInt(shares.dataset.usedGpuBps, 10),
        operatorHolder: address(0xabc),
        gpus: gpus
      }]
    };
    result.textContent = 'Simulating…';
    const response = await fetch('/api/epochs/simulate', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(body)
    });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = (await response.json()).detail || detail; } catch (e) { /* not JSON */ }
      result.textContent = response.status === 401 ? 'Sign in to estimate earnings.' : detail;
      return;
    }
    const outcome = await response.json();
    const pool = outcome.pools[0];
    const usedGpu = outcome.gpus.find(g => g.id === 'gpu-1');
    const idleGpu = outcome.gpus.find(g => g.id === 'gpu-' + count);
    let text = 'Operator: ' + tokens(pool.operator) + ' tokens. Each GPU that served rentals: ' + tokens(usedGpu.total) + ' tokens';
    if (used < count) {
      text += '; each other GPU: ' + tokens(idleGpu.total) + ' tokens';
    }
    text += '. Left over by rounding: ' + tokens(outcome.remainder) + ' tokens.';
    result.textContent = text;
  });
})();
