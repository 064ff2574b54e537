// ludus replay: draws the per-iteration curves of one or several runs with uPlot.
// Plain browser script (no build step). Data comes from /api/iterations; text is only ever set
// through textContent, never as markup.
(function () {
  'use strict';
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939'];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function label(run) {
    var algo = String(run.algo || '').replace(/[^\w.-]/g, '');
    return 'run ' + Number(run.id) + (algo ? ' ' + algo : '');
  }

  function draw(container, payload) {
    // Learning curves against env steps when every run recorded them (runs of different
    // algorithms spend different env steps per iteration), else against the iteration.
    var xKey = payload.runs.length > 0 && payload.runs.every(function (run) {
      return run.iterations.every(function (it) { return it.envSteps !== null && it.envSteps !== undefined; });
    }) ? 'envSteps' : 'iteration';
    var xLabel = xKey === 'envSteps' ? 'env steps' : 'iteration';
    container.dataset.x = xKey;
    var xs = [];
    var seen = {};
    payload.runs.forEach(function (run) {
      run.iterations.forEach(function (it) {
        if (!seen[it[xKey]]) { seen[it[xKey]] = true; xs.push(it[xKey]); }
      });
    });
    xs.sort(function (a, b) { return a - b; });
    var index = {};
    xs.forEach(function (x, i) { index[x] = i; });
    var width = Math.max(280, Math.floor((container.clientWidth || 900) / 2) - 24);
    var charts = 0;
    payload.metrics.forEach(function (metric) {
      var data = [xs];
      var points = 0;
      payload.runs.forEach(function (run) {
        var ys = xs.map(function () { return null; });
        run.iterations.forEach(function (it) {
          var v = it[metric.key];
          if (v !== null && v !== undefined) { ys[index[it[xKey]]] = v; points++; }
        });
        data.push(ys);
      });
      var box = el('div', 'chart');
      box.dataset.metric = metric.key;
      box.dataset.points = String(points);
      container.appendChild(box);
      if (points === 0) { box.appendChild(el('p', 'hint', metric.label + ': not recorded')); return; }
      var series = [{ label: xLabel }];
      payload.runs.forEach(function (run, i) {
        series.push({ label: label(run), stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: true, points: { show: true, size: 5 } });
      });
      new uPlot({
        title: metric.label,
        width: width,
        height: 220,
        scales: { x: { time: false } },
        series: series,
        axes: [xKey === 'envSteps' ? { label: xLabel, size: 50 } : { label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] }, { size: 60 }],
      }, data, box);
      charts++;
    });
    container.dataset.charts = String(charts);
    container.dataset.ready = '1';
  }

  document.querySelectorAll('.charts[data-runs]').forEach(function (container) {
    var runs = container.dataset.runs;
    fetch('/api/iterations?runs=' + encodeURIComponent(runs))
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.statusText); return body; }); })
      .then(function (payload) { draw(container, payload); })
      .catch(function (err) {
        container.appendChild(el('p', 'error', 'Cannot load the curves: ' + err.message));
        container.dataset.ready = 'error';
      });
  });
  // A training league's ratings: one series per member (OpenSkill mu) over the iterations.
  function drawRatings(container, payload) {
    var xs = [];
    var seen = {};
    var names = [];
    var byName = {};
    payload.ratings.forEach(function (r) {
      if (!seen[r.iteration]) { seen[r.iteration] = true; xs.push(r.iteration); }
      if (!byName[r.member]) { byName[r.member] = {}; names.push(r.member); }
      byName[r.member][r.iteration] = r.mu;
    });
    xs.sort(function (a, b) { return a - b; });
    container.dataset.series = String(names.length);
    container.dataset.points = String(payload.ratings.length);
    if (xs.length === 0) { container.appendChild(el('p', 'hint', 'No ratings recorded yet.')); container.dataset.ready = '1'; return; }
    var data = [xs];
    var series = [{ label: 'iteration' }];
    names.forEach(function (name, i) {
      data.push(xs.map(function (x) { var v = byName[name][x]; return v === undefined ? null : v; }));
      series.push({ label: name, stroke: PALETTE[i % PALETTE.length], width: name === 'learner' ? 3 : 1.5, spanGaps: false, points: { show: xs.length < 40, size: 4 } });
    });
    var box = el('div', 'chart');
    container.appendChild(box);
    new uPlot({
      title: 'OpenSkill μ',
      width: Math.max(320, (container.clientWidth || 900) - 24),
      height: 300,
      scales: { x: { time: false } },
      series: series,
      axes: [{ label: 'iteration' }, { size: 60 }],
    }, data, box);
    container.dataset.ready = '1';
  }

  document.querySelectorAll('.league-ratings[data-run]').forEach(function (container) {
    fetch('/api/train-leagues/' + encodeURIComponent(container.dataset.run))
      .then(function (r) { return r.json().then(function (body) { if (!r.ok) throw new Error(body.error || r.statusText); return body; }); })
      .then(function (payload) { drawRatings(container, payload); })
      .catch(function (err) {
        container.appendChild(el('p', 'error', 'Cannot load the ratings: ' + err.message));
        container.dataset.ready = 'error';
      });
  });
})();
