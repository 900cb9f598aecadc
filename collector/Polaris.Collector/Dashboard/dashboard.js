// The dashboard's one script (docs/collector.md, "Dashboard"). It fetches each chart's fragment from the collector
// again every data-refresh-seconds, and at once when a filter changes. Relative URLs only: it reaches nothing but
// the collector that served the page (the Content-Security-Policy forbids the rest anyway).
'use strict';
(() => {
  const form = document.getElementById('filters');
  const status = document.getElementById('status');
  const seconds = Number(document.body.dataset.refreshSeconds) || 30;
  let running = false;
  let refreshes = 0;

  // The form's fields as a query; a blank field (no date, all domains) is left out, as the collector would.
  const query = () => {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (value !== '') {
        params.append(name, value);
      }
    }
    return params.toString();
  };

  const refreshChart = async (section, q, failures) => {
    const name = section.dataset.chart;
    try {
      const response = await fetch(`dashboard/chart/${encodeURIComponent(name)}?${q}`, { credentials: 'same-origin', cache: 'no-store' });
      const text = await response.text();
      if (!response.ok) {
        failures.push(`${name}: ${response.status} ${text.trim()}`);
        return;
      }
      // The collector's own markup, every string from the data escaped there.
      section.querySelector('.chart-body').innerHTML = text;
      section.querySelector('a.json')?.setAttribute('href', `api/v1/reports/${encodeURIComponent(name)}?${q}`);
    } catch (e) {
      failures.push(`${name}: ${e.message}`);
    }
  };

  const refresh = async () => {
    if (running) {
      return; // a slow collector gets one refresh at a time
    }
    running = true;
    const failures = [];
    try {
      const q = query();
      history.replaceState(null, '', `?${q}`);
      // One chart at a time: the collector computes two reports at once (ReportSlots) and answers 429 past a short
      // wait, so a page asking for all of them together over a long span would refuse its own charts.
      for (const section of document.querySelectorAll('section[data-chart]')) {
        await refreshChart(section, q, failures);
      }
    } finally {
      running = false;
    }
    status.dataset.refreshes = String(++refreshes);
    status.classList.toggle('failed', failures.length > 0);
    // textContent: a reason may quote the query, which is the user's text.
    status.textContent = failures.length > 0
      ? `Refresh failed: ${failures.join('; ')}`
      : `Figures as of ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC; refreshed every ${seconds} s`;
  };

  form.addEventListener('change', refresh);
  form.addEventListener('submit', e => {
    e.preventDefault();
    refresh();
  });
  // A tab in the background asks nothing of the collector.
  setInterval(() => {
    if (!document.hidden) {
      refresh();
    }
  }, seconds * 1000);
})();
