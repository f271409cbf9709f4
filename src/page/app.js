// linkchart explorer: the page's own script, with no library. It asks the
// server's JSON API (or, in a self-contained export, reads the data
// inlined in the page), keeps the chart's state, draws the chart as SVG and
// keeps the state in the URL. Layout and every sentence about evidence come
// from linkchart itself; this script only draws, filters and listens.
// Everything from the graph is inserted as text (textContent, attribute
// values), never as markup.
'use strict';
(function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const $ = (id) => document.getElementById(id);
  const dataBlock = document.getElementById('linkchart-data');
  const OFFLINE = dataBlock !== null;
  const DATA = OFFLINE ? JSON.parse(dataBlock.textContent) : null;
  const STATUSES = ['established', 'reported', 'alleged', 'disputed'];
  const HUB_CAP = 15;
  const FONT = 'system-ui, -apple-system, "Segoe UI", "Liberation Sans", Helvetica, Arial, sans-serif';

  let meta = null;
  // What the route form's tags, where and weighted controls can work on
  // (from /api/stats); null in a self-contained file, which has no form.
  let stats = null;
  const state = {
    nodes: new Map(), // id -> {id, name, kind, description, neighbours, x, y, pinned}
    edges: new Map(), // key -> edge from the chart answer
    hidden: new Set(),
    expanded: new Map(), // id -> neighbours shown so far
    selected: null,
    route: null, // {query, answer, active}
    filter: { status: 'disputed', from: null, to: null, undated: true, derived: true },
    view: { x: 0, y: 0, k: 1 },
  };
  const elements = new Map(); // node id -> <g>

  // ---------- small helpers ----------
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, v);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) e.setAttribute(k, String(v));
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }
  function say(text) {
    $('status').textContent = text;
  }
  function fold(text) {
    return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  }
  function kindOf(kind) {
    return (meta && meta.kinds.find((k) => k.kind === kind)) || { kind, label: kind, shape: 'box', color: '#eeeeee' };
  }

  // ---------- notices ----------
  function notice(text, choices) {
    $('notice-text').textContent = text;
    const box = $('notice-choices');
    clear(box);
    for (const c of choices || []) {
      const b = el('button', { type: 'button', class: 'choice' }, c.label);
      b.addEventListener('click', () => {
        hideNotice();
        c.pick();
      });
      box.appendChild(b);
    }
    $('notice').hidden = false;
  }
  function hideNotice() {
    $('notice').hidden = true;
  }
  function failed(err) {
    const body = err.body || {};
    const options = (body.did_you_mean || body.candidates || []).map((c) => ({
      label: `${c.name} (${kindOf(c.kind).label})`,
      pick: () => focusEntity(c.id),
    }));
    notice(err.message + (options.length ? ' — did you mean:' : ''), options);
    say(err.message);
  }

  // ---------- data source: the server, or the data in this file ----------
  async function get(path, params) {
    const url = path + (params ? '?' + params.toString() : '');
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    let body;
    try {
      body = await res.json();
    } catch (_) {
      body = { error: `${res.status} ${res.statusText}` };
    }
    if (!res.ok) {
      const err = new Error(body.error || res.statusText);
      err.body = body;
      err.status = res.status;
      throw err;
    }
    return body;
  }
  const source = {
    async meta() {
      return OFFLINE ? DATA.meta : get('/api/meta');
    },
    async search(q, limit) {
      if (!OFFLINE) return get('/api/search', new URLSearchParams({ q, limit: String(limit) }));
      const f = fold(q);
      const matches = [];
      for (const n of DATA.chart.nodes) {
        const card = DATA.cards[n.id];
        const names = [n.name, n.id].concat(card ? card.entity.aliases : []);
        const hit = names.find((x) => fold(x).includes(f));
        if (f && hit !== undefined) {
          matches.push({ id: n.id, name: n.name, kind: n.kind, description: n.description, matched: hit, score: fold(n.name).startsWith(f) ? 0 : 1 });
        }
      }
      matches.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
      return { query: q, total: matches.length, matches: matches.slice(0, limit) };
    },
    async card(id) {
      if (!OFFLINE) return get('/api/card', new URLSearchParams({ name: id }));
      const card = DATA.cards[id];
      if (!card) throw new Error(`no entity named "${id}" in this file`);
      return card;
    },
  };

  // ---------- typeahead (search box and the route form's names) ----------
  function typeahead(input, list, pick) {
    let hits = [];
    let active = -1;
    let timer = null;
    let asked = 0;
    const close = () => {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    };
    const mark = () => {
      [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
      if (active >= 0) input.setAttribute('aria-activedescendant', list.children[active].id);
    };
    const show = (answer) => {
      clear(list);
      hits = answer.matches || [];
      hits.forEach((h, i) => {
        const li = el('li', { role: 'option', id: `${list.id}-${i}`, 'aria-selected': 'false' });
        li.appendChild(el('span', { class: 'hit-name' }, h.name));
        li.appendChild(el('span', { class: 'hit-meta' }, `${kindOf(h.kind).label} · ${h.id}${h.description ? ' · ' + h.description : ''}`));
        li.addEventListener('mousedown', (ev) => {
          ev.preventDefault();
          choose(i);
        });
        list.appendChild(li);
      });
      if (!hits.length) {
        const near = answer.did_you_mean || [];
        const li = el('li', { role: 'option', id: `${list.id}-none`, 'aria-disabled': 'true' }, near.length ? 'No match. Did you mean:' : 'No match.');
        list.appendChild(li);
        near.forEach((c, i) => {
          const alt = el('li', { role: 'option', id: `${list.id}-${i}`, 'aria-selected': 'false' });
          alt.appendChild(el('span', { class: 'hit-name' }, c.name));
          alt.appendChild(el('span', { class: 'hit-meta' }, `${kindOf(c.kind).label} · ${c.id}`));
          alt.addEventListener('mousedown', (ev) => {
            ev.preventDefault();
            input.value = c.name;
            hideList();
            pick(c);
          });
          list.appendChild(alt);
        });
        hits = [];
      }
      active = hits.length ? 0 : -1;
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      mark();
    };
    const hideList = close;
    const choose = (i) => {
      const h = hits[i];
      if (!h) return;
      close();
      pick(h);
    };
    const ask = async () => {
      const q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      const n = ++asked;
      try {
        const answer = await source.search(q, 8);
        if (n === asked && input.value.trim() === q) show(answer);
      } catch (err) {
        failed(err);
      }
    };
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    input.addEventListener('keydown', async (ev) => {
      if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
        if (list.hidden) {
          await ask();
          return;
        }
        ev.preventDefault();
        const n = hits.length;
        if (n) active = (active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n;
        mark();
      } else if (ev.key === 'Enter') {
        if (!list.hidden && active >= 0) {
          ev.preventDefault();
          choose(active);
        } else if (input === $('search')) {
          ev.preventDefault();
          clearTimeout(timer);
          await ask();
          if (hits.length) choose(0);
        }
      } else if (ev.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 150));
  }

  // ---------- the chart's data ----------
  function visibleIds() {
    return [...state.nodes.keys()].filter((id) => !state.hidden.has(id));
  }
  function merge(chart) {
    const before = state.nodes;
    state.nodes = new Map();
    for (const n of chart.nodes) {
      const old = before.get(n.id);
      // Whole units, as the URL keeps them, so a shared link redraws exactly.
      const place = old && Number.isFinite(old.x) ? { x: old.x, y: old.y, pinned: old.pinned } : { x: Math.round(n.x), y: Math.round(n.y), pinned: old ? old.pinned : false };
      state.nodes.set(n.id, Object.assign({}, n, place));
    }
    state.edges = new Map(chart.edges.map((e) => [e.key, e]));
    for (const id of [...state.hidden]) if (!state.nodes.has(id)) state.hidden.delete(id);
  }
  // Asks the server for the chart of `ids`: entities already drawn keep
  // their places; routes are laid out from left to right.
  async function refresh(ids, routes) {
    if (OFFLINE) {
      draw();
      return;
    }
    const all = [...new Set(ids)];
    if (!all.length) {
      state.nodes.clear();
      state.edges.clear();
      draw();
      return;
    }
    const p = new URLSearchParams();
    p.set('ids', all.join(','));
    const pos = [];
    for (const id of all) {
      const n = state.nodes.get(id);
      if (n && Number.isFinite(n.x)) pos.push(`${id}:${Math.round(n.x)}:${Math.round(n.y)}`);
    }
    if (pos.length) p.set('pos', pos.join(','));
    for (const r of routes || []) p.append('route', r.join(','));
    merge(await get('/api/chart', p));
    draw();
  }

  async function focusEntity(id) {
    try {
      if (!state.nodes.has(id)) {
        if (OFFLINE) throw new Error(`that entity is not in this file`);
        const first = state.nodes.size === 0;
        await refresh([...state.nodes.keys(), id]);
        if (first) fit();
      }
      state.hidden.delete(id);
      select(id);
      draw();
      center(id);
      await openCard(id);
    } catch (err) {
      failed(err);
    }
  }

  async function expand(id) {
    if (OFFLINE) {
      say('This file holds a fixed selection: nothing more to expand.');
      return;
    }
    const shown = state.expanded.get(id) || 0;
    const p = new URLSearchParams({ name: id, limit: String(HUB_CAP), offset: String(shown) });
    try {
      const answer = await get('/api/neighbours', p);
      const level = answer.levels[0];
      const name = state.nodes.get(id) ? state.nodes.get(id).name : id;
      if (!level || !level.entities.length) {
        say(`${name}: no more neighbours to show.`);
        notice(`${name}: no more neighbours to show.`);
        return;
      }
      const fresh = level.entities.map((e) => e.id);
      for (const f of fresh) state.hidden.delete(f);
      state.expanded.set(id, shown + fresh.length);
      await refresh([...state.nodes.keys(), ...fresh]);
      const total = level.total !== undefined ? level.total : fresh.length;
      let text = `${name}: showing ${Math.min(shown + fresh.length, total)} of ${total} neighbours, strongest first`;
      if (level.held_back > 0) text += `; ${level.held_back} held back (expand again for ${Math.min(HUB_CAP, level.held_back)} more)`;
      say(text);
      if (level.held_back > 0) notice(text);
      else hideNotice();
      save();
    } catch (err) {
      failed(err);
    }
  }

  function removeNode(id) {
    if (!state.nodes.has(id)) return;
    state.nodes.delete(id);
    state.hidden.delete(id);
    state.expanded.delete(id);
    for (const [k, e] of state.edges) if (e.from === id || e.to === id) state.edges.delete(k);
    if (state.selected === id) {
      state.selected = null;
      $('card').hidden = true;
    }
    draw();
    save();
  }

  function hideNode(id) {
    if (!state.nodes.has(id)) return;
    state.hidden.add(id);
    draw();
    save();
  }

  function togglePin(id) {
    const n = state.nodes.get(id);
    if (!n) return;
    n.pinned = !n.pinned;
    draw();
    save();
    say(`${n.name} ${n.pinned ? 'pinned' : 'unpinned'}`);
  }

  async function tidy() {
    if (OFFLINE) return;
    // Unpinned entities are laid out afresh around the pinned ones.
    for (const n of state.nodes.values()) {
      if (!n.pinned) n.x = NaN;
    }
    try {
      const keep = [...state.nodes.keys()];
      const routes = state.route && state.route.answer ? state.route.answer.routes.map((r) => r.entities) : [];
      await refresh(keep, routes);
      fit();
    } catch (err) {
      failed(err);
    }
  }

  // ---------- filters over the visible chart ----------
  function edgeShown(e) {
    const f = state.filter;
    if (STATUSES.indexOf(e.status) > STATUSES.indexOf(f.status)) return false;
    if (e.derived && !f.derived) return false;
    if (timeNarrowed()) {
      if (!e.dated) return f.undated;
      const lo = e.years[0] === null ? -Infinity : e.years[0];
      const hi = e.years[1] === null ? Infinity : e.years[1];
      if (hi < f.from || lo > f.to) return false;
    }
    return true;
  }
  function timeNarrowed() {
    const years = meta && meta.years;
    if (!years || years[0] === null) return false;
    return state.filter.from > years[0] || state.filter.to < years[1];
  }

  // ---------- drawing ----------
  const measure = document.createElement('canvas').getContext('2d');
  function labelOf(name) {
    return name.length > 32 ? name.slice(0, 30) + '…' : name;
  }
  function sizeOf(n) {
    measure.font = `12px ${FONT}`;
    const w = Math.min(260, measure.measureText(labelOf(n.name)).width) + 18;
    return { w: Math.max(w, 40), h: 24 };
  }
  function points(list) {
    return list.map((p) => p.join(',')).join(' ');
  }
  // Graphviz's node shapes, drawn around a w×h label box.
  function shapeParts(shape, w, h) {
    const a = w / 2;
    const b = h / 2;
    const c = 7;
    switch (shape) {
      case 'ellipse':
      case 'oval':
        return [['ellipse', { rx: a * 1.12, ry: b * 1.3 }]];
      case 'circle':
        return [['circle', { r: a * 1.02 }]];
      case 'doublecircle':
        return [['circle', { r: a * 1.02 + 4 }], ['circle', { r: a * 1.02 }]];
      case 'diamond':
        return [['polygon', { points: points([[0, -b * 1.8], [a * 1.45, 0], [0, b * 1.8], [-a * 1.45, 0]]) }]];
      case 'hexagon':
        return [['polygon', { points: points([[-a, -b], [a, -b], [a + 10, 0], [a, b], [-a, b], [-a - 10, 0]]) }]];
      case 'octagon':
      case 'doubleoctagon': {
        const oct = (d) => points([[-a + c - d, -b - d], [a - c + d, -b - d], [a + d, -b + c - d], [a + d, b - c + d], [a - c + d, b + d], [-a + c - d, b + d], [-a - d, b - c + d], [-a - d, -b + c - d]]);
        return shape === 'octagon' ? [['polygon', { points: oct(0) }]] : [['polygon', { points: oct(4) }], ['polygon', { points: oct(0) }]];
      }
      case 'house':
        return [['polygon', { points: points([[-a, b], [a, b], [a, -b + 2], [0, -b - 9], [-a, -b + 2]]) }]];
      case 'parallelogram':
        return [['polygon', { points: points([[-a + 6, -b], [a + 8, -b], [a - 6, b], [-a - 8, b]]) }]];
      case 'note':
        return [
          ['path', { d: `M${-a},${-b}H${a - 8}L${a},${-b + 8}V${b}H${-a}Z` }],
          ['path', { d: `M${a - 8},${-b}V${-b + 8}H${a}`, fill: 'none' }],
        ];
      case 'tab':
        return [['rect', { x: -a, y: -b - 5, width: 16, height: 5 }], ['rect', { x: -a, y: -b, width: w, height: h }]];
      case 'component':
        return [
          ['rect', { x: -a, y: -b, width: w, height: h }],
          ['rect', { x: -a - 4, y: -b + 3, width: 8, height: 5 }],
          ['rect', { x: -a - 4, y: b - 8, width: 8, height: 5 }],
        ];
      case 'box3d':
        return [
          ['path', { d: `M${-a + 4},${-b}V${-b - 4}H${a + 4}V${b - 4}H${a}` }],
          ['rect', { x: -a, y: -b, width: w, height: h }],
          ['path', { d: `M${a},${-b}L${a + 4},${-b - 4}`, fill: 'none' }],
        ];
      case 'cylinder':
        return [
          ['path', { d: `M${-a},${-b + 3}A${a},4 0 0 1 ${a},${-b + 3}V${b - 3}A${a},4 0 0 1 ${-a},${b - 3}Z` }],
          ['path', { d: `M${-a},${-b + 3}A${a},4 0 0 0 ${a},${-b + 3}`, fill: 'none' }],
        ];
      default:
        return [['rect', { x: -a, y: -b, width: w, height: h }]];
    }
  }
  function shapeGroup(shape, color, w, h) {
    const g = svg('g');
    for (const [tag, attrs] of shapeParts(shape, w, h)) {
      g.appendChild(svg(tag, Object.assign({ class: 'shape', fill: color, stroke: '#333333', 'stroke-width': 1 }, attrs)));
    }
    return g;
  }
  function dash(style) {
    return style === 'dashed' ? '7 4' : style === 'dotted' ? '2 3' : null;
  }
  function markerId(color) {
    return 'arrow-' + color.replace(/[^a-z0-9]/gi, '');
  }
  function ensureMarker(defs, color) {
    const id = markerId(color);
    if (!defs.querySelector('#' + id)) {
      const m = svg('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' });
      m.appendChild(svg('path', { d: 'M0,0L10,5L0,10z', fill: color }));
      defs.appendChild(m);
    }
    return `url(#${id})`;
  }
  function whenLabel(e) {
    if (e.period) return ` (${e.period})`;
    if (e.date) return ` (${e.date.startsWith('~') ? '~' : ''}${e.years[0]})`;
    return '';
  }
  // Where the line from a node's centre towards (tx, ty) leaves its box.
  function rim(n, tx, ty) {
    const s = sizeOf(n);
    const dx = tx - n.x;
    const dy = ty - n.y;
    const a = s.w / 2 + 6;
    const b = s.h / 2 + 7;
    const t = 1 / Math.max(Math.abs(dx) / a, Math.abs(dy) / b, 1e-9);
    return t >= 1 ? [n.x, n.y] : [n.x + dx * t, n.y + dy * t];
  }

  function routeSets() {
    const nodes = new Set();
    const pairs = new Set();
    const r = state.route && state.route.answer && state.route.answer.routes[state.route.active];
    if (r) {
      r.entities.forEach((id) => nodes.add(id));
      for (const s of r.steps) {
        pairs.add(`${s.from}\u0000${s.to}`);
        pairs.add(`${s.to}\u0000${s.from}`);
      }
    }
    return { nodes, pairs };
  }

  function draw() {
    const chart = $('chart');
    const defs = $('chart-defs');
    const edgesG = $('edges');
    const labelsG = $('edge-labels');
    const nodesG = $('nodes');
    const focused = document.activeElement && document.activeElement.getAttribute('data-id');
    clear(edgesG);
    clear(labelsG);
    clear(nodesG);
    clear(defs);
    elements.clear();
    const on = routeSets();
    chart.classList.toggle('routing', on.nodes.size > 0);
    const visible = (id) => state.nodes.has(id) && !state.hidden.has(id);
    const linked = new Set();
    const shownNeighbours = new Map();
    // Parallel edges between one pair bend apart.
    const groups = new Map();
    for (const e of state.edges.values()) {
      if (!visible(e.from) || !visible(e.to)) continue;
      const pair = e.from < e.to ? `${e.from}\u0000${e.to}` : `${e.to}\u0000${e.from}`;
      if (!groups.has(pair)) groups.set(pair, []);
      groups.get(pair).push(e);
    }
    for (const list of groups.values()) {
      list.forEach((e, i) => {
        const a = state.nodes.get(e.from);
        const b = state.nodes.get(e.to);
        const first = list[0].from;
        const sign = e.from === first ? 1 : -1;
        const bend = (i - (list.length - 1) / 2) * 22 * sign;
        const mx = (a.x + b.x) / 2;
        const my = (a.y + b.y) / 2;
        const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
        const cx = mx + (-(b.y - a.y) / len) * bend;
        const cy = my + ((b.x - a.x) / len) * bend;
        const [x1, y1] = rim(a, cx, cy);
        const [x2, y2] = rim(b, cx, cy);
        const d = `M${x1.toFixed(1)},${y1.toFixed(1)}Q${cx.toFixed(1)},${cy.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
        const shown = edgeShown(e);
        const onRoute = on.pairs.has(`${e.from}\u0000${e.to}`);
        const cls = `edge${shown ? '' : ' filtered'}${onRoute ? ' on-route' : ''}`;
        const path = svg('path', {
          d,
          class: cls,
          stroke: e.color,
          'stroke-width': onRoute ? 3.5 : 1.3,
          'stroke-dasharray': dash(e.style),
          fill: 'none',
          'marker-end': ensureMarker(defs, e.color),
          'data-key': e.key,
          'data-status': e.status,
          'data-derived': e.derived ? 'true' : null,
        });
        const hit = svg('path', { d, class: `edge-hit${shown ? '' : ' filtered'}`, 'data-key': e.key });
        const tip = svg('title', {}, `${e.sentence}\n${e.detail}${e.note ? '\n' + e.note : ''}`);
        hit.appendChild(tip);
        hit.addEventListener('click', (ev) => {
          ev.stopPropagation();
          showEdge(e);
        });
        edgesG.appendChild(path);
        edgesG.appendChild(hit);
        const lx = 0.25 * x1 + 0.5 * cx + 0.25 * x2;
        const ly = 0.25 * y1 + 0.5 * cy + 0.25 * y2;
        labelsG.appendChild(svg('text', {
          x: lx.toFixed(1),
          y: (ly - 3).toFixed(1),
          class: `edge-label${shown ? '' : ' filtered'}${onRoute ? ' on-route' : ''}`,
          'text-anchor': 'middle',
          'font-size': 9,
          fill: e.color,
          'data-key': e.key,
        }, e.label + whenLabel(e)));
        if (shown) {
          linked.add(e.from);
          linked.add(e.to);
        }
        for (const [x, y] of [[e.from, e.to], [e.to, e.from]]) {
          if (!shownNeighbours.has(x)) shownNeighbours.set(x, new Set());
          shownNeighbours.get(x).add(y);
        }
      });
    }
    for (const n of state.nodes.values()) {
      if (state.hidden.has(n.id)) continue;
      const kind = kindOf(n.kind);
      const { w, h } = sizeOf(n);
      const faded = state.edges.size > 0 && !linked.has(n.id) && n.id !== state.selected && visibleIds().length > 1;
      const g = svg('g', {
        class: `node${n.id === state.selected ? ' selected' : ''}${on.nodes.has(n.id) ? ' on-route' : ''}${faded ? ' faded' : ''}${n.pinned ? ' pinned' : ''}`,
        transform: `translate(${n.x},${n.y})`,
        tabindex: 0,
        role: 'button',
        'aria-label': `${n.name}, ${kind.label}${n.pinned ? ', pinned' : ''}`,
        'data-id': n.id,
        'data-kind': n.kind,
      });
      g.appendChild(svg('title', {}, n.description ? `${n.name}\n${n.description}` : n.name));
      g.appendChild(shapeGroup(kind.shape, kind.color, w, h));
      g.appendChild(svg('text', { 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': 12, fill: '#111111' }, labelOf(n.name)));
      const more = n.neighbours - (shownNeighbours.has(n.id) ? shownNeighbours.get(n.id).size : 0);
      if (more > 0) {
        g.appendChild(svg('text', { class: 'badge', x: w / 2 + 4, y: -h / 2 - 2, 'font-size': 10, fill: '#0b5cad' }, `+${more}`));
      }
      if (n.pinned) {
        g.appendChild(svg('circle', { class: 'pin', cx: -w / 2, cy: -h / 2, r: 4, fill: '#d4860b', stroke: '#333333' }));
      }
      nodesG.appendChild(g);
      elements.set(n.id, g);
    }
    applyView();
    $('empty').hidden = state.nodes.size > 0;
    drawHidden();
    drawLegend();
    markRouteLines();
    if (focused && elements.has(focused)) elements.get(focused).focus({ preventScroll: true });
  }

  function drawHidden() {
    const box = $('hidden-items');
    clear(box);
    for (const id of state.hidden) {
      const n = state.nodes.get(id);
      if (!n) continue;
      const b = el('button', { type: 'button', title: 'Show it again' }, n.name);
      b.addEventListener('click', () => {
        state.hidden.delete(id);
        draw();
        save();
      });
      box.appendChild(b);
    }
    $('hidden-list').hidden = state.hidden.size === 0;
  }

  function drawLegend() {
    if (!meta) return;
    const kinds = $('legend-kinds');
    const statuses = $('legend-statuses');
    clear(kinds);
    clear(statuses);
    const present = new Set([...state.nodes.values()].map((n) => n.kind));
    for (const k of meta.kinds) {
      if (present.size && !present.has(k.kind)) continue;
      const item = el('span', { class: 'legend-item' });
      const s = svg('svg', { width: 34, height: 22, viewBox: '-17 -11 34 22', 'aria-hidden': 'true' });
      s.appendChild(shapeGroup(k.shape, k.color, 20, 12));
      item.appendChild(s);
      item.appendChild(document.createTextNode(k.label));
      kinds.appendChild(item);
    }
    for (const st of meta.statuses.concat([meta.derived])) {
      const item = el('span', { class: 'legend-item', title: st.meaning });
      const s = svg('svg', { width: 40, height: 10, 'aria-hidden': 'true' });
      s.appendChild(svg('line', { x1: 2, y1: 5, x2: 38, y2: 5, stroke: st.color, 'stroke-width': 2, 'stroke-dasharray': dash(st.style) }));
      item.appendChild(s);
      item.appendChild(document.createTextNode(st.status));
      statuses.appendChild(item);
    }
  }

  // ---------- pan, zoom, drag ----------
  function applyView() {
    const v = state.view;
    $('viewport').setAttribute('transform', `translate(${v.x.toFixed(1)},${v.y.toFixed(1)}) scale(${v.k.toFixed(4)})`);
  }
  function bounds(ids) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of ids) {
      const n = state.nodes.get(id);
      if (!n) continue;
      const s = sizeOf(n);
      x0 = Math.min(x0, n.x - s.w / 2 - 20);
      x1 = Math.max(x1, n.x + s.w / 2 + 30);
      y0 = Math.min(y0, n.y - s.h / 2 - 20);
      y1 = Math.max(y1, n.y + s.h / 2 + 20);
    }
    return Number.isFinite(x0) ? { x0, y0, x1, y1 } : null;
  }
  function fit() {
    const b = bounds(visibleIds());
    if (!b) return;
    const box = $('chart').getBoundingClientRect();
    const k = Math.max(0.1, Math.min(1.2, Math.min(box.width / (b.x1 - b.x0), box.height / (b.y1 - b.y0))));
    state.view = { k, x: box.width / 2 - k * (b.x0 + b.x1) / 2, y: box.height / 2 - k * (b.y0 + b.y1) / 2 };
    applyView();
    save();
  }
  function center(id) {
    const n = state.nodes.get(id);
    if (!n) return;
    const box = $('chart').getBoundingClientRect();
    const sx = state.view.x + n.x * state.view.k;
    const sy = state.view.y + n.y * state.view.k;
    if (sx < 40 || sy < 40 || sx > box.width - 40 || sy > box.height - 40) {
      state.view.x = box.width / 2 - n.x * state.view.k;
      state.view.y = box.height / 2 - n.y * state.view.k;
      applyView();
    }
  }
  function zoom(factor, cx, cy) {
    const v = state.view;
    const k = Math.max(0.08, Math.min(4, v.k * factor));
    v.x = cx - (cx - v.x) * (k / v.k);
    v.y = cy - (cy - v.y) * (k / v.k);
    v.k = k;
    applyView();
    saveSoon();
  }
  function wirePointer() {
    const chart = $('chart');
    let drag = null;
    let lastClick = { id: null, at: 0 };
    chart.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      const g = ev.target.closest && ev.target.closest('.node');
      drag = { id: g ? g.getAttribute('data-id') : null, x: ev.clientX, y: ev.clientY, moved: false, vx: state.view.x, vy: state.view.y };
      if (drag.id) {
        const n = state.nodes.get(drag.id);
        drag.nx = n.x;
        drag.ny = n.y;
      }
      chart.setPointerCapture(ev.pointerId);
    });
    chart.addEventListener('pointermove', (ev) => {
      if (!drag) return;
      const dx = ev.clientX - drag.x;
      const dy = ev.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      chart.classList.add('dragging');
      if (drag.id) {
        const n = state.nodes.get(drag.id);
        n.x = Math.round(drag.nx + dx / state.view.k);
        n.y = Math.round(drag.ny + dy / state.view.k);
        n.pinned = true;
        if (!drag.frame) {
          drag.frame = requestAnimationFrame(() => {
            if (drag) drag.frame = 0;
            draw();
          });
        }
      } else {
        state.view.x = drag.vx + dx;
        state.view.y = drag.vy + dy;
        applyView();
      }
    });
    const end = (ev) => {
      if (!drag) return;
      const d = drag;
      drag = null;
      chart.classList.remove('dragging');
      try {
        chart.releasePointerCapture(ev.pointerId);
      } catch (_) {
        /* already released */
      }
      if (d.moved) {
        draw();
        save();
      } else if (d.id) {
        // Pointer capture sends the second click to the chart, so a double
        // click is told from two clicks on one entity.
        const now = Date.now();
        if (lastClick.id === d.id && now - lastClick.at < 450) {
          lastClick = { id: null, at: 0 };
          expand(d.id);
          return;
        }
        lastClick = { id: d.id, at: now };
        select(d.id);
        openCard(d.id);
      } else {
        $('edge-card').hidden = true;
      }
    };
    chart.addEventListener('pointerup', end);
    chart.addEventListener('pointercancel', end);
    chart.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const r = chart.getBoundingClientRect();
      zoom(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    chart.addEventListener('keydown', (ev) => {
      const g = ev.target.closest && ev.target.closest('.node');
      const id = g ? g.getAttribute('data-id') : null;
      const r = chart.getBoundingClientRect();
      const key = ev.key;
      if (id && (key === 'Enter' || key === ' ')) {
        ev.preventDefault();
        select(id);
        openCard(id);
      } else if (id && key === 'e') {
        expand(id);
      } else if (id && key === 'p') {
        togglePin(id);
      } else if (id && key === 'h') {
        hideNode(id);
      } else if (id && (key === 'Delete' || key === 'Backspace')) {
        ev.preventDefault();
        removeNode(id);
      } else if (key === '+' || key === '=') {
        zoom(1.2, r.width / 2, r.height / 2);
      } else if (key === '-') {
        zoom(1 / 1.2, r.width / 2, r.height / 2);
      } else if (key === 'f') {
        fit();
      } else if (key.startsWith('Arrow')) {
        ev.preventDefault();
        const step = 40;
        if (key === 'ArrowLeft') state.view.x += step;
        if (key === 'ArrowRight') state.view.x -= step;
        if (key === 'ArrowUp') state.view.y += step;
        if (key === 'ArrowDown') state.view.y -= step;
        applyView();
        saveSoon();
      }
    });
  }

  // ---------- cards and evidence ----------
  function select(id) {
    state.selected = id;
    for (const [k, g] of elements) g.classList.toggle('selected', k === id);
    save();
  }
  async function openCard(id) {
    let card;
    try {
      card = await source.card(id);
    } catch (err) {
      failed(err);
      return;
    }
    const e = card.entity;
    $('card-title').textContent = e.name;
    $('card-kind').textContent = `${e.kind_label || kindOf(e.kind).label} · ${e.id}`;
    $('card-aliases').textContent = e.aliases.length ? `Also known as: ${e.aliases.join(', ')}` : '';
    $('card-description').textContent = e.description || '';
    $('card-dates').textContent = e.start || e.end ? `Dates: ${e.start || '?'} – ${e.end || '?'}${e.tags.length ? ' · Tags: ' + e.tags.join(', ') : ''}` : e.tags.length ? `Tags: ${e.tags.join(', ')}` : '';
    const n = state.nodes.get(id);
    $('card-actions').querySelector('[data-action=pin]').textContent = n && n.pinned ? 'Unpin' : 'Pin';
    const box = $('card-relations');
    clear(box);
    const groups = new Map();
    for (const r of card.relations) {
      if (!groups.has(r.label)) groups.set(r.label, []);
      groups.get(r.label).push(r);
    }
    if (!card.relations.length && !card.claims.length) box.appendChild(el('p', { class: 'muted' }, 'No relations.'));
    for (const [label, items] of groups) {
      box.appendChild(el('h3', {}, label));
      const ul = el('ul', { class: 'relations' });
      for (const r of items) {
        const li = el('li', { 'data-status': r.status });
        const b = el('button', { type: 'button', class: 'link', title: 'Show it on the chart' }, r.other.name);
        b.addEventListener('click', () => focusEntity(r.other.id));
        li.appendChild(b);
        li.appendChild(el('span', { class: `detail status-${r.status}` }, r.detail));
        if (r.note) li.appendChild(el('span', { class: 'note' }, r.note));
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    if (card.claims.length) {
      box.appendChild(el('h3', {}, `Claims made or denied by ${e.name}`));
      const ul = el('ul', { class: 'relations' });
      for (const c of card.claims) {
        const li = el('li', { 'data-status': c.status });
        li.appendChild(el('span', {}, `${c.role}: ${c.sentence}`));
        li.appendChild(el('span', { class: `detail status-${c.status}` }, c.detail));
        ul.appendChild(li);
      }
      box.appendChild(ul);
    }
    $('card').hidden = false;
    $('card').dataset.id = id;
    say(`${e.name}: card open`);
  }
  function showEdge(e) {
    $('edge-sentence').textContent = e.sentence;
    $('edge-detail').textContent = e.detail;
    $('edge-detail').className = `detail status-${e.status}`;
    $('edge-note').textContent = e.note || '';
    $('edge-card').hidden = false;
  }

  // ---------- routes ----------
  function pathParams() {
    const p = new URLSearchParams();
    const name = (input) => (input.dataset.id && input.dataset.name === input.value ? input.dataset.id : input.value.trim());
    p.set('from', name($('path-from')));
    p.set('to', name($('path-to')));
    if ($('path-k').value) p.set('k', $('path-k').value);
    const weighted = $('path-weighted').checked;
    // Weighted routes are the cheapest whatever their length or order.
    if ($('path-hops').value && !weighted) p.set('max-hops', $('path-hops').value);
    if ($('path-status').value) p.set('status', $('path-status').value);
    for (const v of $('path-via').value.split(';').map((s) => s.trim()).filter(Boolean)) p.append('via', v);
    for (const v of $('path-avoid').value.split(';').map((s) => s.trim()).filter(Boolean)) p.append('avoid', v);
    const kinds = [...document.querySelectorAll('#path-kinds input:checked')].map((i) => i.value);
    if (kinds.length) p.set('kinds', kinds.join(','));
    const types = [...document.querySelectorAll('#path-types input:checked')].map((i) => i.value);
    if (types.length) p.set('types', types.join(','));
    const tags = [...document.querySelectorAll('#path-tags input:checked')].map((i) => i.value);
    if (tags.length) p.set('tags', tags.join(','));
    for (const c of conditions($('path-where').value)) p.append('where', c);
    if ($('path-during-on').checked) p.set('during', `${$('path-during-from').value}..${$('path-during-to').value}`);
    if (!$('path-derived').checked) p.set('no-derived', 'true');
    if ($('path-directed').checked) p.set('directed', 'true');
    if (weighted) p.set('weighted', 'true');
    else if ($('path-rank').value !== 'cost') p.set('rank', $('path-rank').value);
    return p;
  }
  // Conditions are typed separated by ";" (a value may hold a comma).
  function conditions(text) {
    return text.split(';').map((s) => s.trim()).filter(Boolean);
  }
  function fillPathForm(p) {
    $('path-from').value = p.get('from') || '';
    $('path-to').value = p.get('to') || '';
    $('path-k').value = p.get('k') || '';
    $('path-hops').value = p.get('max-hops') || '6';
    $('path-status').value = p.get('status') || '';
    $('path-via').value = p.getAll('via').join('; ');
    $('path-avoid').value = p.getAll('avoid').join('; ');
    const kinds = (p.get('kinds') || '').split(',');
    document.querySelectorAll('#path-kinds input').forEach((i) => (i.checked = kinds.includes(i.value)));
    const types = (p.get('types') || '').split(',');
    document.querySelectorAll('#path-types input').forEach((i) => (i.checked = types.includes(i.value)));
    const tags = (p.get('tags') || '').split(',');
    document.querySelectorAll('#path-tags input').forEach((i) => (i.checked = tags.includes(i.value)));
    if (tags.some((t) => t && document.querySelector(`#path-tags input[value="${CSS.escape(t)}"]`))) $('path-tags-box').open = true;
    $('path-where').value = p.getAll('where').join('; ');
    $('path-where').removeAttribute('aria-invalid');
    const during = p.get('during');
    $('path-during-on').checked = !!during;
    if (during) {
      const [a, b] = during.split('..');
      if (a) $('path-during-from').value = a;
      if (b) $('path-during-to').value = b;
    }
    duringText();
    $('path-derived').checked = p.get('no-derived') !== 'true';
    $('path-directed').checked = p.get('directed') === 'true';
    $('path-rank').value = p.get('rank') || 'cost';
    $('path-weighted').checked = p.get('weighted') === 'true' && !$('path-weighted').disabled;
    weightedText();
  }
  async function findRoutes(p, keepChart) {
    let answer;
    try {
      answer = await get('/api/path', p);
    } catch (err) {
      // A condition the server cannot read: its reason, and the field marked.
      if (err.status === 400 && p.has('where') && /"where"|attribute/.test(err.message)) {
        $('path-where').setAttribute('aria-invalid', 'true');
      }
      failed(err);
      return;
    }
    $('path-where').removeAttribute('aria-invalid');
    hideNotice();
    state.route = { query: p.toString(), answer, active: 0 };
    showRoutes();
    if (answer.routes.length) {
      const ids = [...state.nodes.keys()];
      for (const r of answer.routes) ids.push(...r.entities);
      const wasEmpty = state.nodes.size === 0;
      try {
        await refresh(ids, keepChart ? [] : answer.routes.map((r) => r.entities));
      } catch (err) {
        failed(err);
        return;
      }
      for (const r of answer.routes) r.entities.forEach((id) => state.hidden.delete(id));
      draw();
      if (wasEmpty || !keepChart) fit();
    } else {
      draw();
    }
    save();
  }
  function showRoutes() {
    const answer = state.route.answer;
    const names = answer.names || {};
    const list = $('routes-list');
    clear(list);
    clear($('routes-notes'));
    $('routes').hidden = false;
    if (!answer.routes.length) {
      $('routes-summary').textContent = answer.no_route || 'No route.';
      say(answer.no_route || 'No route.');
      return;
    }
    const n = answer.total;
    const shortest = answer.routes[0].length;
    const cheapest = answer.routes[0].weight;
    let summary = `${answer.from.name} → ${answer.to.name}: ${answer.truncated ? 'at least ' : ''}${n} route${n === 1 ? '' : 's'}, `;
    summary += cheapest === undefined ? `shortest ${shortest} step${shortest === 1 ? '' : 's'}` : `cheapest weight ${cheapest}`;
    if (answer.routes.length < n) summary += ` (showing ${answer.routes.length})`;
    $('routes-summary').textContent = summary;
    for (const note of answer.notes || []) {
      $('routes-notes').appendChild(el('p', { class: 'route-note' }, `Note: ${note.text}`));
    }
    say(summary);
    answer.routes.forEach((r, i) => {
      const li = el('li', { class: i === state.route.active ? 'active' : '', 'data-route': i });
      const head = el('button', { type: 'button', class: 'route-head', 'aria-pressed': String(i === state.route.active) },
        `Route ${i + 1} · ${r.length} step${r.length === 1 ? '' : 's'}${r.weight === undefined ? '' : ` · weight ${r.weight}`} · ${r.entities.map((id) => names[id] || id).join(' → ')}`);
      head.addEventListener('click', () => {
        state.route.active = i;
        [...list.children].forEach((c, j) => {
          c.classList.toggle('active', j === i);
          c.firstChild.setAttribute('aria-pressed', String(j === i));
        });
        draw();
        save();
      });
      li.appendChild(head);
      const lines = el('ul', { class: 'route-lines' });
      for (const s of r.steps) {
        for (const rel of s.relations) {
          const line = el('li', { 'data-status': rel.status, 'data-derived': rel.derived ? 'true' : null });
          line.appendChild(el('span', { class: 'sentence' }, rel.sentence));
          line.appendChild(el('span', { class: `detail status-${rel.status}` }, rel.detail));
          lines.appendChild(line);
        }
      }
      li.appendChild(lines);
      list.appendChild(li);
    });
    markRouteLines();
  }
  // Route evidence the chart's filters hide is shown faint in the list too.
  function markRouteLines() {
    const f = state.filter;
    document.querySelectorAll('.route-lines li').forEach((li) => {
      const weaker = STATUSES.indexOf(li.dataset.status) > STATUSES.indexOf(f.status);
      const derived = li.dataset.derived === 'true' && !f.derived;
      li.classList.toggle('filtered-out', weaker || derived);
    });
  }

  // ---------- export ----------
  function download(href, name) {
    const a = $('download');
    a.href = href;
    a.download = name;
    a.click();
  }
  function standaloneSvg() {
    const b = bounds(visibleIds()) || { x0: 0, y0: 0, x1: 100, y1: 100 };
    const width = Math.ceil(b.x1 - b.x0);
    const legendHeight = 28;
    const height = Math.ceil(b.y1 - b.y0) + legendHeight;
    const out = svg('svg', { xmlns: SVG, width, height, viewBox: `${b.x0.toFixed(0)} ${b.y0.toFixed(0)} ${width} ${height}`, 'font-family': FONT });
    out.appendChild(svg('rect', { x: b.x0.toFixed(0), y: b.y0.toFixed(0), width, height, fill: '#ffffff' }));
    out.appendChild($('chart-defs').cloneNode(true));
    const copy = $('viewport').cloneNode(true);
    copy.removeAttribute('transform');
    copy.querySelectorAll('.filtered, .edge-hit').forEach((x) => x.remove());
    copy.querySelectorAll('.faded').forEach((x) => x.setAttribute('opacity', '0.25'));
    copy.querySelectorAll('[tabindex]').forEach((x) => {
      x.removeAttribute('tabindex');
      x.removeAttribute('role');
    });
    copy.querySelectorAll('.on-route .shape').forEach((x) => {
      x.setAttribute('stroke', '#d4860b');
      x.setAttribute('stroke-width', '4');
    });
    out.appendChild(copy);
    // The status legend along the bottom, as in the DOT export.
    const legend = svg('g', { transform: `translate(${b.x0 + 10},${b.y1 + 14})`, 'font-size': 10 });
    let x = 0;
    for (const st of meta.statuses.concat([meta.derived])) {
      legend.appendChild(svg('line', { x1: x, y1: 0, x2: x + 30, y2: 0, stroke: st.color, 'stroke-width': 2, 'stroke-dasharray': dash(st.style) }));
      legend.appendChild(svg('text', { x: x + 35, y: 3, fill: '#333333' }, st.status));
      x += 45 + st.status.length * 6;
    }
    out.appendChild(legend);
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out);
  }
  function exportView() {
    const format = $('export-format').value;
    if (!state.nodes.size) {
      notice('The chart is empty: nothing to export.');
      return;
    }
    if (format === 'svg') {
      const blob = new Blob([standaloneSvg()], { type: 'image/svg+xml' });
      download(URL.createObjectURL(blob), 'linkchart-view.svg');
    } else if (format === 'png') {
      const text = standaloneSvg();
      const img = new Image();
      img.onload = () => {
        const scale = 2;
        const canvas = document.createElement('canvas');
        canvas.width = img.width * scale;
        canvas.height = img.height * scale;
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.scale(scale, scale);
        ctx.drawImage(img, 0, 0);
        canvas.toBlob((png) => download(URL.createObjectURL(png), 'linkchart-view.png'), 'image/png');
      };
      img.onerror = () => notice('The browser could not draw the chart as PNG; export SVG instead.');
      img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
    } else {
      // DOT, JSON and the report come from linkchart itself, for the
      // entities shown and the evidence the filters let through.
      const p = new URLSearchParams();
      p.set('ids', visibleIds().join(','));
      if (state.filter.status !== 'disputed') p.set('status', state.filter.status);
      if (!state.filter.derived) p.set('no-derived', 'true');
      if (timeNarrowed()) p.set('during', `${state.filter.from}..${state.filter.to}`);
      p.set('download', 'true');
      if (format === 'report') {
        download('/api/report?' + p.toString(), 'linkchart-report.html');
      } else {
        p.set('format', format);
        download('/api/export?' + p.toString(), `linkchart-view.${format}`);
      }
    }
    say(`Exported the view as ${format.toUpperCase()}`);
  }

  // ---------- state in the URL ----------
  let saveTimer = null;
  function saveSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 250);
  }
  function save() {
    if (restoring) return;
    const p = new URLSearchParams();
    const nodes = [...state.nodes.values()].map((n) => `${n.id}~${Math.round(n.x)}~${Math.round(n.y)}${n.pinned ? '~p' : ''}`);
    if (nodes.length) p.set('n', nodes.join(','));
    if (state.hidden.size) p.set('hide', [...state.hidden].join(','));
    if (state.expanded.size) p.set('more', [...state.expanded].map(([id, k]) => `${id}~${k}`).join(','));
    if (state.selected) p.set('sel', state.selected);
    if (state.route && !OFFLINE) {
      p.set('path', state.route.query);
      if (state.route.active) p.set('route', String(state.route.active));
    } else if (state.route && state.route.active) {
      p.set('route', String(state.route.active));
    }
    const f = state.filter;
    if (f.status !== 'disputed') p.set('show', f.status);
    if (!f.derived) p.set('derived', '0');
    if (timeNarrowed()) p.set('years', `${f.from}..${f.to}`);
    if (!f.undated) p.set('undated', '0');
    const v = state.view;
    p.set('view', `${Math.round(v.x)}~${Math.round(v.y)}~${v.k.toFixed(3)}`);
    const hash = '#' + p.toString();
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }
  let restoring = false;
  async function restore() {
    const p = new URLSearchParams(location.hash.slice(1));
    restoring = true;
    try {
      const status = p.get('show');
      if (status && STATUSES.includes(status)) state.filter.status = status;
      state.filter.derived = p.get('derived') !== '0';
      state.filter.undated = p.get('undated') !== '0';
      const years = (p.get('years') || '').split('..').map(Number);
      if (years.length === 2 && years.every(Number.isFinite) && meta.years[0] !== null) {
        state.filter.from = Math.max(meta.years[0], Math.min(years[0], meta.years[1]));
        state.filter.to = Math.max(state.filter.from, Math.min(years[1], meta.years[1]));
      }
      syncFilterControls();
      const saved = (p.get('n') || '').split(',').filter(Boolean).map((item) => {
        const [id, x, y, pin] = item.split('~');
        return { id, x: Number(x), y: Number(y), pinned: pin === 'p' };
      });
      if (OFFLINE) {
        if (saved.length) {
          const keep = new Map(saved.map((s) => [s.id, s]));
          for (const [id, n] of [...state.nodes]) {
            const s = keep.get(id);
            if (!s) state.nodes.delete(id);
            else if (Number.isFinite(s.x) && Number.isFinite(s.y)) Object.assign(n, { x: s.x, y: s.y, pinned: s.pinned });
          }
        }
      } else if (saved.length) {
        for (const s of saved) {
          state.nodes.set(s.id, { id: s.id, name: s.id, kind: '', x: s.x, y: s.y, pinned: s.pinned, neighbours: 0 });
        }
        await refresh(saved.map((s) => s.id));
      }
      for (const id of (p.get('hide') || '').split(',').filter(Boolean)) if (state.nodes.has(id)) state.hidden.add(id);
      for (const item of (p.get('more') || '').split(',').filter(Boolean)) {
        const [id, k] = item.split('~');
        if (state.nodes.has(id) && Number(k) > 0) state.expanded.set(id, Number(k));
      }
      const path = p.get('path');
      if (path && !OFFLINE) {
        const q = new URLSearchParams(path);
        fillPathForm(q);
        await findRoutes(q, true);
      }
      if (state.route && p.get('route')) {
        const i = Number(p.get('route'));
        if (i >= 0 && i < state.route.answer.routes.length) {
          state.route.active = i;
          showRoutes();
        }
      }
      const view = (p.get('view') || '').split('~').map(Number);
      if (view.length === 3 && view.every(Number.isFinite) && view[2] > 0) {
        state.view = { x: view[0], y: view[1], k: view[2] };
      } else if (state.nodes.size) {
        fit();
      }
      draw();
      const sel = p.get('sel');
      if (sel && state.nodes.has(sel)) {
        state.selected = sel;
        draw();
        await openCard(sel);
      }
    } catch (err) {
      failed(err);
    } finally {
      restoring = false;
    }
    save();
  }

  // ---------- controls ----------
  function syncFilterControls() {
    const f = state.filter;
    $('filter-status').value = f.status;
    $('filter-derived').checked = f.derived;
    $('filter-undated').checked = f.undated;
    $('time-from').value = f.from;
    $('time-to').value = f.to;
    timeText();
  }
  function timeText() {
    const f = state.filter;
    $('time-text').textContent = meta.years[0] === null ? 'no dates' : `${f.from} – ${f.to}`;
  }
  function weightedText() {
    const on = $('path-weighted').checked;
    // Hops and order do not bound or rank the cheapest routes.
    for (const id of ['path-hops', 'path-rank']) {
      $(id).disabled = on;
      $(id).title = on ? 'Not used: weighted routes are the cheapest, whatever their length' : '';
    }
  }
  // The tags, conditions and weights the graph has, from /api/stats: a
  // control that cannot apply says why instead of returning nothing.
  function wireGraphFilters() {
    const tags = Object.entries(stats.by_tag);
    const box = $('path-tags');
    for (const [tag, n] of tags) {
      const label = el('label', { class: 'check' });
      label.appendChild(el('input', { type: 'checkbox', value: tag }));
      label.appendChild(document.createTextNode(`${tag} (${n})`));
      box.appendChild(label);
    }
    if (!tags.length) {
      $('path-tags-summary').textContent = 'Tags in between (none in this graph)';
      $('path-tags-note').textContent = 'No entity in this graph has tags, so there is nothing to filter by.';
    }
    const entityKeys = Object.keys(stats.entity_attributes);
    const relationKeys = Object.keys(stats.relation_attributes);
    if (stats.weighted_relations > 0 && !relationKeys.includes('weight')) relationKeys.push('weight');
    const help = [];
    if (entityKeys.length) help.push(`entities: ${entityKeys.join(', ')}`);
    if (relationKeys.length) help.push(`relations: ${relationKeys.join(', ')}`);
    if (help.length) {
      $('path-where-help').textContent = `Conditions separated by ; (=, !=, <, <=, >, >=, ~ contains). Attributes of ${help.join('; ')}.`;
    } else {
      $('path-where').disabled = true;
      $('path-where').placeholder = 'no attributes in this graph';
      $('path-where-help').textContent = 'No entity or relation in this graph has attributes or a weight, so there is nothing to test.';
    }
    if (stats.weighted_relations > 0) {
      $('path-weighted-note').textContent = `${stats.weighted_relations} of ${stats.relations} relations have a weight; the others cost 1.`;
    } else {
      $('path-weighted').disabled = true;
      $('path-weighted-note').textContent = 'No relation in this graph has a weight: every route costs its number of steps.';
    }
    $('path-weighted').addEventListener('change', weightedText);
    $('path-where').addEventListener('input', () => $('path-where').removeAttribute('aria-invalid'));
  }
  function duringText() {
    $('path-during-text').textContent = $('path-during-on').checked ? `${$('path-during-from').value} – ${$('path-during-to').value}` : 'any time';
  }
  function wireControls() {
    const years = meta.years;
    for (const id of ['time-from', 'time-to', 'path-during-from', 'path-during-to']) {
      const input = $(id);
      if (years[0] === null) {
        input.disabled = true;
        continue;
      }
      input.min = years[0];
      input.max = years[1];
      input.step = 1;
      input.value = id.endsWith('from') ? years[0] : years[1];
    }
    state.filter.from = years[0];
    state.filter.to = years[1];
    const onTime = (which) => () => {
      let a = Number($('time-from').value);
      let b = Number($('time-to').value);
      if (a > b) {
        if (which === 'from') b = a;
        else a = b;
        $('time-from').value = a;
        $('time-to').value = b;
      }
      state.filter.from = a;
      state.filter.to = b;
      timeText();
      draw();
      saveSoon();
    };
    $('time-from').addEventListener('input', onTime('from'));
    $('time-to').addEventListener('input', onTime('to'));
    $('filter-status').addEventListener('change', () => {
      state.filter.status = $('filter-status').value;
      draw();
      save();
      say(`Showing ${$('filter-status').selectedOptions[0].textContent}`);
    });
    $('filter-derived').addEventListener('change', () => {
      state.filter.derived = $('filter-derived').checked;
      draw();
      save();
    });
    $('filter-undated').addEventListener('change', () => {
      state.filter.undated = $('filter-undated').checked;
      draw();
      save();
    });
    for (const id of ['path-during-from', 'path-during-to']) {
      $(id).addEventListener('input', () => {
        const a = $('path-during-from');
        const b = $('path-during-to');
        if (Number(a.value) > Number(b.value)) (id === 'path-during-from' ? b : a).value = $(id).value;
        $('path-during-on').checked = true;
        duringText();
      });
    }
    $('path-during-on').addEventListener('change', duringText);
    duringText();
    timeText();
    for (const k of meta.kinds) {
      const label = el('label', { class: 'check' });
      label.appendChild(el('input', { type: 'checkbox', value: k.kind }));
      label.appendChild(document.createTextNode(k.label));
      $('path-kinds').appendChild(label);
    }
    for (const t of meta.relation_types) {
      const label = el('label', { class: 'check' });
      label.appendChild(el('input', { type: 'checkbox', value: t }));
      label.appendChild(document.createTextNode(t));
      $('path-types').appendChild(label);
    }
    if (stats) wireGraphFilters();
    $('path-form').addEventListener('submit', (ev) => {
      ev.preventDefault();
      findRoutes(pathParams(), false);
    });
    $('search-form').addEventListener('submit', (ev) => ev.preventDefault());
    typeahead($('search'), $('search-list'), (hit) => {
      $('search').value = hit.name;
      focusEntity(hit.id);
    });
    for (const id of ['path-from', 'path-to']) {
      const input = $(id);
      const list = el('ul', { id: `${id}-list`, role: 'listbox', class: 'listbox', hidden: '' });
      input.setAttribute('role', 'combobox');
      input.setAttribute('aria-controls', list.id);
      input.setAttribute('aria-expanded', 'false');
      const wrap = el('div', { class: 'search' });
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      wrap.appendChild(list);
      typeahead(input, list, (hit) => {
        input.value = hit.name;
        input.dataset.id = hit.id;
        input.dataset.name = hit.name;
      });
    }
    $('card-actions').addEventListener('click', (ev) => {
      const action = ev.target.getAttribute && ev.target.getAttribute('data-action');
      const id = $('card').dataset.id;
      if (!action || !id) return;
      if (action === 'expand') {
        if (!state.nodes.has(id)) focusEntity(id).then(() => expand(id));
        else expand(id);
      } else if (action === 'pin') {
        togglePin(id);
        ev.target.textContent = state.nodes.get(id) && state.nodes.get(id).pinned ? 'Unpin' : 'Pin';
      } else if (action === 'hide') hideNode(id);
      else if (action === 'remove') removeNode(id);
      else if (action === 'from' || action === 'to') {
        const input = $(`path-${action}`);
        const n = state.nodes.get(id);
        input.value = n ? n.name : $('card-title').textContent;
        input.dataset.id = id;
        input.dataset.name = input.value;
        $(action === 'from' ? 'path-to' : 'path-from').focus();
      }
    });
    $('fit').addEventListener('click', fit);
    $('tidy').addEventListener('click', tidy);
    $('clear').addEventListener('click', () => {
      state.nodes.clear();
      state.edges.clear();
      state.hidden.clear();
      state.expanded.clear();
      state.selected = null;
      state.route = null;
      $('card').hidden = true;
      $('routes').hidden = true;
      $('edge-card').hidden = true;
      draw();
      save();
    });
    $('export').addEventListener('click', exportView);
    $('notice-close').addEventListener('click', hideNotice);
    $('help-button').addEventListener('click', () => $('help').showModal());
    $('help').addEventListener('click', (ev) => {
      if (ev.target.tagName === 'BUTTON') $('help').close();
    });
    document.addEventListener('keydown', (ev) => {
      const typing = ev.target.closest && ev.target.closest('input, select, textarea');
      if (typing) return;
      if (ev.key === '/') {
        ev.preventDefault();
        $('search').focus();
      } else if (ev.key === '?') {
        $('help').showModal();
      } else if (ev.key === 'Escape') {
        hideNotice();
      }
    });
    wirePointer();
  }

  async function start() {
    if (OFFLINE) document.body.classList.add('offline');
    try {
      [meta, stats] = await Promise.all([source.meta(), OFFLINE ? null : get('/api/stats', new URLSearchParams({ top: '0' }))]);
    } catch (err) {
      failed(err);
      return;
    }
    $('graph-info').textContent = `${meta.entities} entities · ${meta.relations} relations`;
    wireControls();
    if (OFFLINE) {
      $('title').textContent = DATA.title;
      document.title = DATA.title;
      merge(DATA.chart);
      if (DATA.path) {
        state.route = { query: '', answer: DATA.path, active: 0 };
        showRoutes();
      }
    }
    await restore();
    if (OFFLINE && !location.hash.includes('view=')) fit();
    document.body.dataset.ready = 'true';
  }
  start();
})();
