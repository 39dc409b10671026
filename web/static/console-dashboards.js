// Keel console, a dashboard's page: draws the line and bar tiles with uPlot from the figures the page
// was rendered with, then follows GET /api/v1/dashboards/{id}/stream and rewrites each tile that
// changed in place (numbers, tables, charts and their figures), announcing the changes politely.
// Figures are written as the server wrote them: the reader's language, the series' time zone.
"use strict";

(function () {
  const root = document.getElementById("dashboard");
  if (!root) return;
  const PALETTE = ["#0b5cad", "#c2410c", "#1d6b38", "#7e22ce", "#a4161a", "#0f766e", "#854d0e", "#be185d"];
  const DURATIONS = [[120, "second", 1], [7200, "minute", 60], [172800, "hour", 3600], [Infinity, "day", 86400]];
  const HEIGHT = 240;
  const lang = root.dataset.lang;
  const zone = root.dataset.zone;
  const words = JSON.parse(root.dataset.words);
  const plots = new Map(); // tile section -> its uPlot, drawn again when its figures change
  const shown = new Map(); // tile index -> what it shows, to tell a real change from a repeat
  const pending = [];

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
  const missing = (v) => v === null || v === undefined;
  const part = (section, name) => section.querySelector(`[data-part="${name}"]`);

  function figure(value, unit, signed) {
    if (missing(value)) return words.dashboards_no_value;
    const n = Number(value);
    const sign = signed && n > 0 ? "+" : "";
    if (unit === "seconds") {
      const [, name, size] = DURATIONS.find(([limit]) => Math.abs(n) < limit);
      const options = { style: "unit", unit: name, unitDisplay: "short", maximumFractionDigits: 1 };
      return sign + new Intl.NumberFormat(lang, options).format(n / size);
    }
    return sign + new Intl.NumberFormat(lang, { maximumFractionDigits: unit === "count" ? 0 : 2 }).format(n);
  }

  function moment(start, grain, tz, short) {
    const at = new Date(start);
    const as = (options) => new Intl.DateTimeFormat(lang, { timeZone: tz, ...options }).format(at);
    if (grain === "hour") return `${as({ month: "short", day: "numeric" })} ${as({ hour: "numeric", minute: "2-digit" })}`;
    if (grain === "month") return as({ year: "numeric", month: short ? "short" : "long" });
    const day = as(short ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" });
    return grain === "week" && !short ? fill(words.dashboards_week_of, { date: day }) : day;
  }

  // The x axis' labels of the buckets at ``splits``: hours by their time, with the date where it
  // changes from the previous label's; other grains by their date.
  function axisLabels(series, splits) {
    let day = "";
    return splits.map((i) => {
      const b = series.buckets[i];
      if (!Number.isInteger(i) || !b) return "";
      if (series.grain !== "hour") return moment(b.start, series.grain, series.timezone, true);
      const at = new Date(b.start);
      const as = (options) => new Intl.DateTimeFormat(lang, { timeZone: series.timezone, ...options }).format(at);
      const date = as({ month: "short", day: "numeric" });
      const time = as({ hour: "numeric", minute: "2-digit" });
      if (date === day) return time;
      day = date;
      return `${date} ${time}`;
    });
  }

  const groupName = (key) =>
    Object.values(key).map((v) => (missing(v) ? words.dashboards_none : String(v))).join(" · ") || "—";

  // The series as the page's tables hold it: a row per bucket, a column per group (or one "value").
  function tableOf(series) {
    const grouped = series.buckets.some((b) => b.groups);
    const columns = [];
    if (grouped) {
      for (const b of series.buckets) {
        for (const g of b.groups || []) if (!columns.includes(groupName(g.key))) columns.push(groupName(g.key));
      }
    } else {
      columns.push("");
    }
    const rows = series.buckets.map((b) => {
      const cells = grouped ? new Map((b.groups || []).map((g) => [groupName(g.key), g.value])) : new Map([["", b.value]]);
      const nothing = grouped && series.unit === "count" ? 0 : null; // a group missing counted nothing
      return columns.map((c) => (missing(cells.get(c)) ? nothing : cells.get(c)));
    });
    const highest = Math.max(0, ...rows.flat().filter((v) => v !== null).map(Number));
    return { columns, rows, highest };
  }

  function grade(value, highest) {
    if (value === null || highest <= 0 || Number(value) <= 0) return 0;
    return Math.min(4, Math.max(1, Math.floor((Number(value) / highest) * 4 + 0.999)));
  }

  function writeTable(section, series) {
    const table = part(section, "table");
    if (!table) return;
    const model = tableOf(series);
    const head = document.createElement("tr");
    const cell = (tag, text, scope) => {
      const c = document.createElement(tag);
      c.textContent = text;
      if (scope) c.scope = scope;
      return c;
    };
    head.append(cell("th", table.tHead.rows[0].cells[0].textContent, "col"));
    model.columns.forEach((c) => head.append(cell("th", c || words.dashboards_value, "col")));
    table.tHead.replaceChildren(head);
    const body = series.buckets.map((b, i) => {
      const row = document.createElement("tr");
      row.append(cell("th", moment(b.start, series.grain, series.timezone, false), "row"));
      model.rows[i].forEach((v) => {
        const td = cell("td", figure(v, series.unit));
        td.className = `heat-${grade(v, model.highest)}`;
        row.append(td);
      });
      return row;
    });
    table.tBodies[0].replaceChildren(...body);
  }

  function summary(series) {
    if (series.unit !== "count" && series.unit !== "amount" && series.buckets.some((b) => b.groups && b.groups.length)) {
      const values = series.buckets.flatMap((b) => (b.groups || []).filter((g) => !missing(g.value)).map((g) => Number(g.value)));
      if (!values.length) return words.dashboards_chart_empty;
      const groups = new Set(series.buckets.flatMap((b) => (b.groups || []).map((g) => groupName(g.key))));
      return fill(words.dashboards_chart_summary_groups, {
        n: series.buckets.length, groups: groups.size, highest: figure(Math.max(...values), series.unit),
      });
    }
    const totals = series.buckets.map((b) => {
      if (b.groups) return b.groups.filter((g) => !missing(g.value)).reduce((s, g) => s + Number(g.value), 0);
      return missing(b.value) ? null : Number(b.value);
    });
    const known = totals.filter((v) => v !== null);
    if (!known.length) return words.dashboards_chart_empty;
    return fill(words.dashboards_chart_summary, {
      n: series.buckets.length,
      latest: figure(totals[totals.length - 1], series.unit),
      highest: figure(Math.max(...known), series.unit),
    });
  }

  // Bars for series ``k`` of ``n`` side by side within each bucket.
  function beside(xs, k, n) {
    const width = 0.8 / n;
    const x0 = xs.map((i) => i - 0.4 + k * width);
    return uPlot.paths.bars({ disp: { x0: { unit: 3, values: () => x0 }, size: { unit: 3, values: () => [width] } } });
  }

  // A line per group, or bars per group: stacked when the figures add up (counts, amounts; each bar
  // the running total, tallest drawn first), else side by side (averages, rates, durations).
  function draw(section, series, bars) {
    const box = part(section, "chart");
    if (plots.has(section)) plots.get(section).destroy();
    const model = tableOf(series);
    const xs = series.buckets.map((_, i) => i);
    let ys = model.columns.map((_, c) => model.rows.map((r) => (r[c] === null ? null : Number(r[c]))));
    let order = model.columns.map((_, c) => c);
    const stacked = bars && ys.length > 1 && (series.unit === "count" || series.unit === "amount");
    if (stacked) {
      let running = xs.map(() => 0);
      ys = ys.map((column) => (running = running.map((s, i) => s + (column[i] || 0))));
      ys.reverse();
      order = order.reverse();
    }
    const whole = series.unit === "count" ? [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 1e5, 1e6] : undefined;
    const options = {
      width: box.clientWidth || 300,
      height: HEIGHT,
      padding: [12, 48, 0, 0], // room for the last label
      legend: { show: model.columns.length > 1, live: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: (u, lo, hi) => [lo - 0.5, hi + 0.5] },
        y: { range: (u, lo, hi) => [Math.min(0, lo), hi > 0 ? hi * 1.1 : 1] },
      },
      axes: [
        { space: 80, incrs: [1, 2, 3, 7, 14, 30, 60, 90, 180, 365], values: (u, splits) => axisLabels(series, splits) },
        { size: box.clientWidth < 480 ? 52 : 70, incrs: whole, values: (u, splits) => splits.map((v) => figure(v, series.unit)) },
      ],
      series: [{}].concat(order.map((c) => ({
        label: model.columns[c] || words.dashboards_value,
        stroke: PALETTE[c % PALETTE.length],
        fill: bars ? PALETTE[c % PALETTE.length] : undefined,
        width: bars ? 0 : 2,
        paths: !bars ? undefined : stacked || ys.length === 1 ? uPlot.paths.bars({ size: [0.7, 64] }) : beside(xs, c, ys.length),
        points: { show: !bars && xs.length * 16 <= (box.clientWidth || 300) },
        spanGaps: false,
      }))),
    };
    plots.set(section, new uPlot(options, [xs, ...ys], box));
  }

  function change(kpi) {
    if (missing(kpi.change)) return ["none", "", words.dashboards_change_none];
    const n = Number(kpi.change);
    if (n === 0) return ["same", "=", words.dashboards_change_same];
    let by = figure(Math.abs(n), kpi.unit); // nothing before: the change alone, its direction in words
    if (!missing(kpi.change_ratio)) {
      const percent = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 });
      by = `${percent.format(Math.abs(kpi.change_ratio))} (${figure(kpi.change, kpi.unit, true)})`;
    }
    return n > 0 ? ["up", "▲", fill(words.dashboards_up, { change: by })] : ["down", "▼", fill(words.dashboards_down, { change: by })];
  }

  function writeNumber(section, kpi) {
    part(section, "value").textContent = figure(kpi && kpi.value, kpi && kpi.unit);
    part(section, "previous").textContent = figure(kpi && kpi.previous && kpi.previous.value, kpi && kpi.unit);
    const [direction, arrow, text] = kpi ? change(kpi) : ["none", "", words.dashboards_change_none];
    part(section, "change").className = `change change-${direction}`;
    part(section, "arrow").textContent = arrow;
    part(section, "change-text").textContent = text;
  }

  // What a tile shows, without the window it was computed over (a range ending now moves each tick).
  function figures(tile) {
    const data = tile.data ? { ...tile.data } : null;
    let previous = null;
    if (data) {
      previous = data.previous ? data.previous.value : null;
      delete data.from; delete data.to; delete data.previous;
    }
    return canonical([data, previous, tile.error || null]);
  }

  // JSON with every object's keys sorted: the page's copy and the stream's order keys differently.
  function canonical(value) {
    if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
    if (value && typeof value === "object") {
      return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
    }
    return JSON.stringify(value === undefined ? null : value);
  }

  function write(section, tile) {
    const error = part(section, "error");
    error.hidden = !tile.error;
    error.textContent = tile.error ? fill(words.dashboards_tile_error, { message: tile.error.message }) : "";
    if (tile.chart === "number") { writeNumber(section, tile.data); return; }
    const series = tile.data || { buckets: [], unit: "count", grain: "day", timezone: zone };
    writeTable(section, series);
    if (tile.chart === "line" || tile.chart === "bar") {
      part(section, "summary").textContent = summary(series);
      if (tile.data) draw(section, series, tile.chart === "bar");
    }
  }

  function announce(section, tile) {
    const title = section.dataset.title;
    const kpi = tile.chart === "number" && tile.data;
    pending.push(kpi ? fill(words.dashboards_updated, { title, value: figure(kpi.value, kpi.unit) }) : fill(words.dashboards_updated_chart, { title }));
    if (pending.length > 1) return;
    setTimeout(() => { // one message for the tiles that changed together
      document.getElementById("dashboard-news").textContent = pending.splice(0).join(" ");
      const asOf = document.querySelector("[data-as-of]");
      const now = new Date();
      asOf.dateTime = now.toISOString();
      asOf.textContent = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "medium", timeZone: zone }).format(now) + ` (${zone})`;
    }, 1000);
  }

  const sections = new Map([...root.querySelectorAll("section.tile")].map((s) => [Number(s.dataset.index), s]));
  for (const [index, section] of sections) {
    const tile = JSON.parse(section.dataset.tile);
    shown.set(index, figures(tile));
    if ((tile.chart === "line" || tile.chart === "bar") && tile.data) draw(section, tile.data, tile.chart === "bar");
  }
  if (window.ResizeObserver) {
    const resized = new ResizeObserver(() => {
      for (const [section, plot] of plots) plot.setSize({ width: part(section, "chart").clientWidth, height: HEIGHT });
    });
    resized.observe(root);
  }

  if (!window.EventSource) return;
  const live = document.getElementById("dashboard-live");
  const stream = new EventSource(root.dataset.stream);
  let paused = null;
  stream.addEventListener("tile", (event) => {
    const tile = JSON.parse(event.data);
    const section = sections.get(tile.index);
    if (!section || shown.get(tile.index) === figures(tile)) return;
    shown.set(tile.index, figures(tile));
    write(section, tile);
    announce(section, tile);
  });
  stream.addEventListener("gone", () => {
    stream.close();
    live.textContent = words.dashboards_gone;
    live.hidden = false;
  });
  stream.addEventListener("open", () => {
    clearTimeout(paused);
    if (live.textContent === words.dashboards_paused) live.hidden = true;
  });
  stream.addEventListener("error", () => { // the browser reconnects by itself; say so if it takes long
    clearTimeout(paused);
    if (stream.readyState === EventSource.CLOSED) { // refused (the session ended): it will not reconnect
      live.textContent = words.dashboards_stopped;
      live.hidden = false;
      return;
    }
    paused = setTimeout(() => {
      if (stream.readyState === EventSource.OPEN) return;
      live.textContent = words.dashboards_paused;
      live.hidden = false;
    }, 10000);
  });
})();
