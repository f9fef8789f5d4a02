// Your rentals: stop a spot or on-demand rental (POST /api/market/orders/{id}/stop), then show the page again.
(function () {
  const status = document.getElementById('rentals-status');
  document.querySelectorAll('.stop-button').forEach(button => button.addEventListener('click', async () => {
    const id = button.dataset.order;
    if (!window.confirm('Stop rental ' + id + ' now? Its workload is stopped and its GPUs are freed.')) return;
    button.disabled = true;
    try {
      const response = await fetch('/api/market/orders/' + encodeURIComponent(id) + '/stop',
        { method: 'POST', headers: { 'Accept': 'application/json' } });
      if (!response.ok) {
        let detail = response.statusText;
        try { const body = await response.json(); detail = body.detail || body.title || detail; } catch (e) { /* not JSON */ }
        throw new Error(detail);
      }
      location.reload();
    } catch (e) {
      status.textContent = (e && e.message) ? e.message : String(e);
      status.classList.add('error');
      button.disabled = false;
    }
  }));
})();
