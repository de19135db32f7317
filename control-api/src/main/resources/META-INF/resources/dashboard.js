// StreamLoom dashboard: plain JavaScript over the REST API (/api/v1), no framework. Every control is a real
// button, link, input or select, so the page works with the keyboard and a screen reader; the layout collapses
// to one column on a phone.
'use strict';

const $ = (sel) => document.querySelector(sel);
const state = {
  token: sessionStorage.getItem('streamloom.token') || '',
  stageTypes: [],
  streams: [],
  compositions: [],
  nodes: [],
  selectedStream: null,
  editedStages: null,
  selectedComp: null,
  players: new Map(),
  cpuHistory: new Map(),
  chart: null,
};

function say(message) {
  $('#status').textContent = message || '';
}

async function api(method, path, body) {
  const res = await fetch('/api/v1' + path, {
    method,
    headers: Object.assign({ Authorization: 'Bearer ' + state.token },
      body === undefined ? {} : { 'Content-Type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 401 || res.status === 403) {
    logout('The token was refused (' + res.status + ').');
    throw new Error('unauthorized');
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const msg = data && (data.error || data.message) ? (data.error || data.message) : res.statusText;
    throw new Error(msg + (data && data.field ? ' (' + data.field + ')' : ''));
  }
  return data;
}

// ---------- login ----------

async function login(token) {
  state.token = token;
  try {
    state.stageTypes = await api('GET', '/stage-types');
  } catch (e) {
    if (e.message !== 'unauthorized') say('Could not reach the control API: ' + e.message);
    return;
  }
  sessionStorage.setItem('streamloom.token', token);
  $('#login').hidden = true;
  $('#nav').hidden = false;
  $('#logout').hidden = false;
  fillStageTypes();
  say('');
  show(location.hash.slice(1) || 'streams');
  refresh();
}

function logout(message) {
  sessionStorage.removeItem('streamloom.token');
  state.token = '';
  for (const s of ['streams', 'compositions', 'nodes']) $('#' + s).hidden = true;
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  say(message || '');
}

function show(section) {
  if (!['streams', 'compositions', 'nodes'].includes(section)) section = 'streams';
  for (const s of ['streams', 'compositions', 'nodes']) $('#' + s).hidden = s !== section;
  document.querySelectorAll('nav a').forEach((a) => {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  if (section === 'nodes') updateChart();
}

// ---------- helpers ----------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c)));
  return e;
}

/** Replaces a container's children only when what they show changed, so focus and clicks survive refreshes. */
function replaceIfChanged(container, key, build) {
  if (container.dataset.key === key) return;
  container.replaceChildren(...build());
  container.dataset.key = key;
}

function fmt(n, digits) {
  return typeof n === 'number' && isFinite(n) ? n.toFixed(digits) : '–';
}

function play(video, url) {
  const current = state.players.get(video);
  if (current && current.url === url) return;
  if (current) stopPlayer(current);
  if (!url) { video.removeAttribute('src'); state.players.delete(video); return; }
  const entry = { url };
  state.players.set(video, entry);
  if (!(window.Hls && Hls.isSupported())) {
    video.src = url; // Safari plays HLS natively
    video.play().catch(() => {});
    return;
  }
  // A stream that is not live yet (no publisher), or whose node just moved, answers 404 for a while: start over
  // until it plays, instead of giving up after hls.js's own retries.
  const start = () => {
    if (state.players.get(video) !== entry) return;
    if (entry.hls) entry.hls.destroy();
    // The nodes serve LL-HLS: hls.js then plays PART-HOLD-BACK (about 1 s) behind live. No liveSyncDurationCount:
    // hls.js lets a configured one override PART-HOLD-BACK (the player page's comment has the details).
    const hls = new Hls({ lowLatencyMode: true });
    entry.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
    hls.on(Hls.Events.ERROR, (_, data) => {
      if (!data.fatal) return;
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR) { hls.recoverMediaError(); return; }
      entry.retry = setTimeout(start, 1500);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  };
  start();
}

function stopPlayer(entry) {
  if (entry.retry) clearTimeout(entry.retry);
  if (entry.hls) entry.hls.destroy();
}

// ---------- streams ----------

/**
 * What a person needs to know about an entry: the node's own report when there is one (live, waiting for a
 * publisher, reconnecting, failed: with the reason and since when), otherwise the control API's placement state
 * (pending, with why).
 */
function runState(entry) {
  const st = entry.status;
  if (!st || !st.state) {
    return { state: entry.state, text: entry.state + (entry.pendingReason ? ' (' + entry.pendingReason + ')' : '') };
  }
  let text = st.state;
  if (st.since) text += ' since ' + new Date(st.since).toLocaleTimeString();
  if (st.error) text += ': ' + st.error;
  return { state: st.state, text };
}

/**
 * The player plays what there is to see (a stream while live; a composition unless it failed: without signal it
 * shows its slate); the line under it says why there is nothing to see, or what is missing.
 */
function showRun(video, line, entry, playable) {
  const run = runState(entry);
  const plays = playable(run.state);
  line.textContent = run.state === 'live' ? '' : (plays ? '' : 'Not playing: ') + run.text;
  line.className = 'run-state state-' + run.state;
  play(video, plays ? entry.playbackUrl : null);
}

function fillStageTypes() {
  const sel = $('#stage-type');
  sel.replaceChildren(...state.stageTypes.map((t) => el('option', { value: t.type }, t.type + ' – ' + t.description)));
}

/** How often the stream list's thumbnails are fetched again (the node keeps a picture at most a second old). */
const THUMBNAIL_REFRESH_MS = 5000;

/**
 * The node's thumbnail.jpg beside the stream's playlist, or null: a signed stream's needs a playback token, which the
 * list does not hold (its row shows no picture), and a stream not placed yet has no playback URL.
 */
function thumbnailUrl(s) {
  const signed = s.spec && s.spec.output && s.spec.output.playback === 'signed';
  if (signed || !s.playbackUrl || !/\/index\.m3u8$/.test(s.playbackUrl)) return null;
  return s.playbackUrl.replace(/\/index\.m3u8$/, '/thumbnail.jpg?width=160');
}

/** The row's picture: hidden until it loads, and while the stream has none (the node answers 404). */
function thumbnail(s, name) {
  const url = thumbnailUrl(s);
  if (!url) return el('span', { class: 'thumb-none' }, '–');
  return el('img', { class: 'thumb', alt: 'latest picture of ' + name, width: 160, 'data-src': url, hidden: true,
    src: url + '&t=' + Math.floor(Date.now() / THUMBNAIL_REFRESH_MS),
    onload: (ev) => { ev.target.hidden = false; }, onerror: (ev) => { ev.target.hidden = true; } });
}

/** Fetches every listed thumbnail again (a new query each period, so no cache hands back the old picture). */
function refreshThumbnails() {
  const tick = Math.floor(Date.now() / THUMBNAIL_REFRESH_MS);
  document.querySelectorAll('#stream-rows img.thumb').forEach((img) => { img.src = img.dataset.src + '&t=' + tick; });
}

function renderStreams() {
  const rows = () => state.streams.map((s) => {
    const st = s.status || {};
    const name = s.spec ? s.spec.name : s.name;
    return el('tr', { class: state.selectedStream === s.id ? 'selected' : '' },
      el('td', {}, thumbnail(s, name)),
      el('td', {}, name),
      el('td', { class: 'state-' + runState(s).state }, runState(s).text),
      el('td', {}, s.nodeId || '–'),
      el('td', {}, fmt(st.fps, 1)),
      el('td', {}, st.latencyP99Ms == null ? '–' : fmt(st.latencyP99Ms, 0) + ' ms'),
      el('td', {}, st.drops == null ? '–' : st.drops),
      el('td', {}, el('button', { type: 'button', class: 'small', onclick: () => selectStream(s.id) }, 'Open ' + name)));
  });
  replaceIfChanged($('#stream-rows'), JSON.stringify([state.selectedStream, state.streams.map((s) => [s.id, s.state,
    s.pendingReason, s.nodeId, s.status, thumbnailUrl(s)])]), rows);
  // Rebuild the input checkboxes only when the set of streams changed: replacing them every refresh would steal
  // keyboard focus and the click a person (or a test) is about to make.
  const box = $('#nc-inputs');
  const names = state.streams.map((s) => s.spec.name);
  if (box.dataset.names !== names.join('\n')) {
    const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
    box.replaceChildren(...names.map((name) =>
      el('label', {}, el('input', { type: 'checkbox', value: name, checked: checked.has(name) }), name)));
    box.dataset.names = names.join('\n');
  }
  if (state.selectedStream) renderStreamDetail(false);
}

function selectStream(id) {
  state.selectedStream = id;
  state.editedStages = null;
  $('#sd-key').textContent = '(shown once, at creation or rotation)';
  renderStreams();
  renderStreamDetail(true);
  $('#sd-title').focus();
}

function renderStreamDetail(resetStages) {
  const s = state.streams.find((x) => x.id === state.selectedStream);
  const box = $('#stream-detail');
  if (!s) { box.hidden = true; return; }
  box.hidden = false;
  $('#sd-title').textContent = s.spec.name + ' — ' + runState(s).state;
  $('#sd-title').setAttribute('tabindex', '-1');
  $('#sd-server').textContent = s.ingestUrl || '(pull stream)';
  // A pull stream has no key to rotate (the API answers 409).
  $('#sd-rotate').hidden = !s.ingestUrl;
  $('#sd-playback').textContent = s.playbackUrl || '';
  $('#sd-playback').href = s.playbackUrl || '#';
  showRun($('#sd-video'), $('#sd-run'), s, (st) => st === 'live');
  if (resetStages || state.editedStages === null) {
    state.editedStages = JSON.parse(JSON.stringify(s.spec.stages || []));
    renderStages();
  }
}

function renderStages() {
  const list = $('#stages');
  list.replaceChildren(...state.editedStages.map((stage, i) => {
    const def = state.stageTypes.find((t) => t.type === stage.type) || { params: [] };
    const params = def.params.map((p) => paramInput(stage, p, i));
    return el('li', {},
      el('strong', {}, stage.type),
      ' ',
      el('button', { type: 'button', class: 'small', 'aria-label': 'Move ' + stage.type + ' up', disabled: i === 0,
        onclick: () => moveStage(i, -1) }, '↑'),
      ' ',
      el('button', { type: 'button', class: 'small', 'aria-label': 'Move ' + stage.type + ' down',
        disabled: i === state.editedStages.length - 1, onclick: () => moveStage(i, 1) }, '↓'),
      ' ',
      el('button', { type: 'button', class: 'small danger', 'aria-label': 'Remove ' + stage.type,
        onclick: () => { state.editedStages.splice(i, 1); renderStages(); } }, 'Remove'),
      el('div', { class: 'params' }, ...params));
  }));
}

function paramInput(stage, p, index) {
  const id = 'p-' + index + '-' + p.name;
  const value = stage[p.name] !== undefined ? stage[p.name] : p.defaultValue;
  let input;
  if (p.type === 'BOOLEAN') {
    input = el('input', { id, type: 'checkbox', checked: !!value });
    input.addEventListener('change', () => { stage[p.name] = input.checked; });
  } else if (p.type === 'ENUM') {
    input = el('select', { id }, ...p.values.map((v) => el('option', { value: v, selected: v === value }, v)));
    input.addEventListener('change', () => { stage[p.name] = input.value; });
  } else if (p.type === 'INT' || p.type === 'DOUBLE') {
    input = el('input', { id, type: 'number', value, min: p.min, max: p.max, step: p.type === 'INT' ? 1 : 'any' });
    input.addEventListener('change', () => { stage[p.name] = Number(input.value); });
  } else {
    input = el('input', { id, type: 'text', value: value == null ? '' : value, maxlength: p.maxLength || undefined });
    input.addEventListener('change', () => { stage[p.name] = input.value; });
  }
  return el('label', { for: id, title: p.description }, p.name, input);
}

function moveStage(i, delta) {
  const s = state.editedStages;
  [s[i], s[i + delta]] = [s[i + delta], s[i]];
  renderStages();
}

async function applyPipeline() {
  const s = state.streams.find((x) => x.id === state.selectedStream);
  if (!s) return;
  const spec = Object.assign({}, s.spec, { stages: state.editedStages });
  try {
    await api('PUT', '/streams/' + s.id, spec);
    say('Pipeline applied to ' + s.spec.name + '.');
    state.editedStages = null;
    await refresh();
  } catch (e) { say('Not applied: ' + e.message); }
}

async function createStream(ev) {
  ev.preventDefault();
  const source = $('#ns-source').value;
  const spec = { name: $('#ns-name').value.trim(), source: { type: source } };
  if (source !== 'rtmp-push') spec.source.url = $('#ns-url').value.trim();
  try {
    const created = await api('POST', '/streams', spec);
    $('#ns-name').value = '';
    await refresh();
    selectStream(created.id);
    if (created.streamKey) $('#sd-key').textContent = created.streamKey;
    say('Stream ' + spec.name + ' created. Copy the stream key now: it is shown only once.');
  } catch (e) { say('Not created: ' + e.message); }
}

// ---------- compositions ----------

function renderCompositions() {
  replaceIfChanged($('#comp-rows'), JSON.stringify([state.selectedComp, state.compositions]), () => state.compositions.map((c) => el('tr', { class: state.selectedComp === c.id ? 'selected' : '' },
    el('td', {}, c.spec.name),
    el('td', { class: 'state-' + runState(c).state }, runState(c).text),
    el('td', {}, c.nodeId || '–'),
    el('td', {}, c.spec.inputs.map((i) => i.stream).join(', ')),
    el('td', {}, c.spec.layout ? c.spec.layout.type : 'grid'),
    el('td', {}, el('button', { type: 'button', class: 'small', onclick: () => selectComp(c.id) }, 'Open ' + c.spec.name)))));
  if (state.selectedComp) renderCompDetail(false);
}

function selectComp(id) {
  state.selectedComp = id;
  renderCompositions();
  renderCompDetail(true);
}

function renderCompDetail(resetForm) {
  const c = state.compositions.find((x) => x.id === state.selectedComp);
  if (!c) { $('#comp-detail').hidden = true; return; }
  $('#comp-detail').hidden = false;
  $('#cd-title').textContent = c.spec.name + ' — ' + runState(c).state;
  $('#cd-playback').textContent = c.playbackUrl || '';
  $('#cd-playback').href = c.playbackUrl || '#';
  showRun($('#cd-video'), $('#cd-run'), c, (st) => st !== 'failed');
  if (resetForm) {
    $('#cd-layout').value = (c.spec.layout && c.spec.layout.type) || 'grid';
    $('#cd-corner').value = (c.spec.layout && c.spec.layout.corner) || 'bottom-right';
    const inputs = new Set(c.spec.inputs.map((i) => i.stream));
    $('#cd-inputs').replaceChildren(...state.streams.map((s) => el('label', {},
      el('input', { type: 'checkbox', value: s.spec.name, checked: inputs.has(s.spec.name) }), s.spec.name)));
  }
}

async function createComposition(ev) {
  ev.preventDefault();
  const inputs = [...$('#nc-inputs').querySelectorAll('input:checked')].map((i) => ({ stream: i.value }));
  const spec = { name: $('#nc-name').value.trim(), inputs, layout: { type: $('#nc-layout').value } };
  try {
    const created = await api('POST', '/compositions', spec);
    $('#nc-name').value = '';
    await refresh();
    selectComp(created.id);
    say('Composition ' + spec.name + ' created.');
  } catch (e) { say('Not created: ' + e.message); }
}

async function applyLayout(ev) {
  ev.preventDefault();
  const c = state.compositions.find((x) => x.id === state.selectedComp);
  if (!c) return;
  const keep = new Map(c.spec.inputs.map((i) => [i.stream, i]));
  const inputs = [...$('#cd-inputs').querySelectorAll('input:checked')].map((i) => keep.get(i.value) || { stream: i.value });
  const layout = Object.assign({}, c.spec.layout, { type: $('#cd-layout').value, corner: $('#cd-corner').value });
  try {
    await api('PUT', '/compositions/' + c.id, Object.assign({}, c.spec, { inputs, layout }));
    say('Layout applied to ' + c.spec.name + '.');
    await refresh();
  } catch (e) { say('Not applied: ' + e.message); }
}

// ---------- nodes ----------

function renderNodes() {
  const now = Date.now() / 1000;
  $('#node-rows').replaceChildren(...state.nodes.map((n) => {
    const seen = n.lastSeen ? Math.max(0, Math.round(now - n.lastSeen / 1000)) + ' s ago' : '–';
    const st = n.up ? 'up' : 'down';
    return el('tr', {},
      el('td', {}, n.id),
      el('td', {}, n.role),
      el('td', { class: 'state-' + st }, st),
      el('td', {}, fmt((n.cpu || 0) * 100, 0) + ' %'),
      el('td', {}, fmt((n.memoryBytes || 0) / 1048576, 0) + ' MiB'),
      el('td', {}, (n.pipelines || []).length),
      el('td', {}, seen));
  }));
  updateChart();
}

function updateChart() {
  const t = Date.now() / 1000;
  for (const n of state.nodes) {
    const id = n.id;
    if (!state.cpuHistory.has(id)) state.cpuHistory.set(id, []);
    const h = state.cpuHistory.get(id);
    h.push([t, (n.cpu || 0) * 100]);
    while (h.length > 150) h.shift();
  }
  if (!window.uPlot || $('#nodes').hidden) return;
  const ids = [...state.cpuHistory.keys()];
  const times = [...new Set(ids.flatMap((id) => state.cpuHistory.get(id).map((p) => p[0])))].sort((a, b) => a - b);
  const series = ids.map((id) => {
    const m = new Map(state.cpuHistory.get(id));
    return times.map((x) => (m.has(x) ? m.get(x) : null));
  });
  const data = [times, ...series];
  const box = $('#cpu-chart');
  const width = Math.max(280, box.clientWidth || 600);
  if (!state.chart || state.chart.series.length !== ids.length + 1) {
    if (state.chart) state.chart.destroy();
    const colors = ['#4ea1ff', '#3fb950', '#d29922', '#ff6b6b', '#a371f7', '#39c5cf'];
    state.chart = new uPlot({
      width, height: 220, title: 'CPU % per node',
      scales: { y: { range: [0, 100] } },
      series: [{}, ...ids.map((id, i) => ({ label: id, stroke: colors[i % colors.length], spanGaps: true }))],
      axes: [{ stroke: '#9aa7b3' }, { stroke: '#9aa7b3' }],
    }, data, box);
  } else {
    state.chart.setData(data);
  }
}

// ---------- refresh loop ----------

async function refresh() {
  if (!state.token) return;
  try {
    const [streams, comps, nodes] = await Promise.all([
      api('GET', '/streams'), api('GET', '/compositions'), api('GET', '/nodes')]);
    state.streams = streams;
    state.compositions = comps;
    state.nodes = nodes;
    renderStreams();
    renderCompositions();
    renderNodes();
  } catch (e) {
    if (e.message !== 'unauthorized') say('Refresh failed: ' + e.message);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', (ev) => { ev.preventDefault(); login($('#token').value.trim()); });
  $('#logout').addEventListener('click', () => logout('Logged out.'));
  $('#new-stream').addEventListener('submit', createStream);
  $('#ns-source').addEventListener('change', () => {
    document.querySelectorAll('.pull-only').forEach((e) => { e.hidden = $('#ns-source').value === 'rtmp-push'; });
  });
  document.querySelectorAll('.pull-only').forEach((e) => { e.hidden = true; });
  $('#add-stage').addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!state.editedStages) return;
    state.editedStages.push({ type: $('#stage-type').value });
    renderStages();
  });
  $('#apply-pipeline').addEventListener('click', applyPipeline);
  $('#caption-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('#caption-text').value.trim();
    if (!text || !state.selectedStream) return;
    try {
      await api('POST', '/streams/' + state.selectedStream + '/captions', { text });
      $('#caption-text').value = '';
      say('Caption sent: it shows on the live picture now.');
    } catch (e) { say('Caption not sent: ' + e.message); }
  });
  $('#sd-rotate').addEventListener('click', async () => {
    const s = state.streams.find((x) => x.id === state.selectedStream);
    if (!s || !confirm('Rotate the key of ' + s.spec.name + '? Whoever publishes with the old key is cut off.')) return;
    try {
      const r = await api('POST', '/streams/' + state.selectedStream + '/rotate-key');
      $('#sd-key').textContent = r.streamKey;
      say('New key issued; the old one no longer works. Copy it now: it is shown only once.');
    } catch (e) { say('Not rotated: ' + e.message); }
  });
  $('#delete-stream').addEventListener('click', async () => {
    const s = state.streams.find((x) => x.id === state.selectedStream);
    if (!s || !confirm('Delete stream ' + s.spec.name + '?')) return;
    try {
      await api('DELETE', '/streams/' + s.id); state.selectedStream = null; $('#stream-detail').hidden = true;
      await refresh(); say('Stream ' + s.spec.name + ' deleted.');
    }
    catch (e) { say('Not deleted: ' + e.message); }
  });
  $('#new-comp').addEventListener('submit', createComposition);
  $('#layout-form').addEventListener('submit', applyLayout);
  $('#delete-comp').addEventListener('click', async () => {
    const c = state.compositions.find((x) => x.id === state.selectedComp);
    if (!c || !confirm('Delete composition ' + c.spec.name + '?')) return;
    try {
      await api('DELETE', '/compositions/' + c.id); state.selectedComp = null; $('#comp-detail').hidden = true;
      await refresh(); say('Composition ' + c.spec.name + ' deleted.');
    }
    catch (e) { say('Not deleted: ' + e.message); }
  });
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  setInterval(refresh, 2000);
  setInterval(refreshThumbnails, THUMBNAIL_REFRESH_MS);
  if (state.token) login(state.token);
});
