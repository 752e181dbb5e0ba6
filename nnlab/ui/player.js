// NN Lab's player: queues the frames the server recorded while training and draws them on canvases
// at a steady pace with requestAnimationFrame. Streamlit calls the default export on every rerun
// with new `data`; the player lives on its DOM node, so nothing is re-created per tick.
// Frames are real snapshots (see nnlab/frames.py); the player never interpolates between them.

const WHITE = [255, 255, 255];
const POSITIVE = "#0877bd"; // TF Playground's blue and orange: the layout's `diverging` (nnlab.viz.palette) wins
const NEGATIVE = "#f59322";
const DEAD = "#9e9e9e"; // a weight L1 snapped to exactly 0: TF Playground's dead link
const CAPTION_ROW = 16; // px under the network diagram for its small caption (the dead links' count)
const KEY_ROW = 34; // px under the plane for its colour key (what the shades mean)
const FONT = "12px sans-serif"; // the smallest text the player draws: readable from the back of a classroom
const TITLE_FONT = "13px sans-serif";
const FRAME_LIMIT = 1000;
const ASK_AGAIN_MS = 2000; // a stopped player short of the last frame asks again this often

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function bytes(b64) {
  const text = atob(b64);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function halfFloats(b64) {
  // IEEE 754 half precision, little-endian, to numbers.
  const raw = bytes(b64);
  const out = new Float32Array(raw.length / 2);
  for (let i = 0; i < out.length; i++) {
    const h = raw[2 * i] | (raw[2 * i + 1] << 8);
    const sign = h & 0x8000 ? -1 : 1;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    out[i] = exponent === 0 ? sign * 2 ** -14 * (fraction / 1024)
      : exponent === 31 ? (fraction ? NaN : sign * Infinity)
      : sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
  }
  return out;
}

// 0 → negative (orange), 127.5 → zero (white), 255 → positive (blue): TF Playground's neuron colours, one
// entry per byte; `strength` < 1 pales every entry towards white (the plane behind the points).
function divergingTable([negative, zero, positive], strength = 1) {
  const [low, middle, high] = [negative, zero, positive].map(rgb);
  return Array.from({ length: 256 }, (_, byte) => {
    const t = (byte / 255) * 2 - 1;
    const end = t >= 0 ? high : low;
    return middle.map((c, i) => {
      const colour = c + Math.abs(t) * (end[i] - c);
      return WHITE[i] + strength * (colour - WHITE[i]);
    });
  });
}

const DIVERGING = divergingTable([NEGATIVE, "#ffffff", POSITIVE]);

// A value as the byte of the ±1 scale (frames.py's _signed_byte).
function signedByte(value) {
  return Math.round((Math.max(-1, Math.min(1, Number(value) || 0)) + 1) * 127.5);
}

const scratch = new Map(); // one small canvas per map size, reused: drawImage copies it at once

function mapImage(values, size, colourOf) {
  // A size×size canvas of one map, to be scaled up (smoothed) with drawImage straight away.
  let entry = scratch.get(size);
  if (!entry) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    const context = canvas.getContext("2d");
    entry = { canvas, context, image: context.createImageData(size, size) };
    scratch.set(size, entry);
  }
  const pixels = entry.image.data;
  for (let i = 0; i < size * size; i++) {
    const c = colourOf(values, i);
    pixels[4 * i] = c[0];
    pixels[4 * i + 1] = c[1];
    pixels[4 * i + 2] = c[2];
    pixels[4 * i + 3] = 255;
  }
  entry.context.putImageData(entry.image, 0, 0);
  return entry.canvas;
}

function fitCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

// Numbers as the page writes them: English as Python's format does, other languages by the browser's Intl
// (Russian «0,091», «99,5 %», «1 234»).
function format(value, digits, locale = "en") {
  if (!Number.isFinite(value)) return "—";
  return locale === "en" ? value.toFixed(digits)
    : value.toLocaleString(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function count(value, locale = "en") {
  if (!Number.isFinite(value)) return "—"; // none to count (the race's panels have no one parameter count)
  return locale === "en" ? String(value) : value.toLocaleString(locale);
}

function percent(value, locale = "en") {
  if (!Number.isFinite(value)) return "—";
  return locale === "en" ? `${(100 * value).toFixed(1)}%`
    : value.toLocaleString(locale, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

class Player {
  constructor(root) {
    this.root = root;
    this.locale = "en";
    this.frames = [];
    this.run = null;
    this.cursor = 0; // the epoch the clock has reached
    this.shown = -1; // index of the frame on screen
    this.pinned = false; // the student is scrubbing
    this.hover = null; // {column, unit} of the neuron whose map is drawn large
    this.lastTime = null;
    this.stats = root.querySelector(".stats");
    this.boundary = root.querySelector("canvas.boundary");
    this.network = root.querySelector("canvas.network");
    this.scrubber = root.querySelector("input.scrub");
    this.scrubLabel = root.querySelector(".scrub-label");
    this.editor = root.querySelector("input.edit");
    this.scrubber.addEventListener("input", () => this.scrubTo(Number(this.scrubber.value)));
    this.network.addEventListener("pointermove", (event) => this.pointerMove(event));
    this.network.addEventListener("pointerleave", () => this.setHover(null));
    this.network.addEventListener("click", (event) => this.click(event));
    this.boundary.addEventListener("click", (event) => this.planeClick(event));
    this.hint = root.querySelector(".hint");
    this.clicks = []; // the clicks sent (data-clicks, for tests)
    this.clickSerial = 0;
    this.editor.addEventListener("keydown", (event) => this.editKey(event));
    this.editor.addEventListener("blur", () => this.closeEditor());
    // A window widened or narrowed (a laptop sent to the projector, a phone turned): the picture on screen
    // is laid out again for the new width, not only when the next frame comes (none comes once stopped).
    let width = root.clientWidth;
    new ResizeObserver(() => {
      if (root.clientWidth === width) return;
      width = root.clientWidth;
      if (this.shown >= 0 && this.frames[this.shown]) this.show(this.shown);
    }).observe(root);
    const loop = (now) => {
      if (!this.root.isConnected) return; // unmounted: stop drawing
      this.advance(now);
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  }

  update(data, trigger) {
    this.trigger = trigger;
    this.data = data;
    this.locale = data.locale || "en";
    this.layout = data.layout;
    if (data.run !== this.run) {
      this.run = data.run;
      this.frames = [];
      this.shown = -1;
      this.pinned = false;
    }
    const before = this.frames.length ? this.frames[this.frames.length - 1] : null;
    const fresh = data.frames.filter((f) => !before || f.s > before.s).map((f) => this.decode(f));
    if (fresh.length) {
      if (this.pinned) this.cursor = before ? before.e : fresh[0].e; // play on from the model's state
      this.pinned = false;
      if (!before) this.cursor = fresh[fresh.length - 1].e; // a first look shows the model as it is
      this.frames.push(...fresh);
      this.thin();
    }
    // Frames the server has that never arrived (a page reopened, a run cut short by a rerun, a
    // backlog still waiting when the run stopped): ask for everything after the newest we have.
    // While playing, the ticks bring them; once stopped, each answer brings more, so ask again.
    if (fresh.length) this.asked = null;
    this.askForMissing();
    this.root.classList.toggle("playing", Boolean(data.playing));
    const points = this.layout.points;
    this.root.dataset.points = String(points ? points.x.length : 0);
    this.dirty = true; // redraw: labels, points or the test toggle may have changed
  }

  // Once stopped, ask for the frames after our newest; ask again after ASK_AGAIN_MS if none came (a request
  // can be lost to a rerun of the page, and then the player would stay short of the last epoch for good).
  askForMissing(now = performance.now()) {
    const data = this.data;
    if (!data) return;
    const newest = this.frames.length ? this.frames[this.frames.length - 1].s : -1;
    if (data.upto <= newest || data.playing) {
      this.asked = null;
      return;
    }
    if (this.asked !== null && this.asked !== undefined && now - this.asked < ASK_AGAIN_MS) return;
    this.asked = now;
    this.trigger("history", newest);
  }

  decode(f) {
    return { s: f.s, e: f.e, m: f.m, b: bytes(f.b), n: bytes(f.n), w: halfFloats(f.w) };
  }

  thin() {
    if (this.frames.length <= FRAME_LIMIT) return;
    const onScreen = this.shown >= 0 ? this.frames[this.shown].e : 0;
    while (this.frames.length > FRAME_LIMIT) {
      const last = this.frames[this.frames.length - 1];
      const kept = this.frames.filter((_, i) => i % 2 === 0);
      if (kept[kept.length - 1] !== last) kept.push(last);
      this.frames = kept;
    }
    this.shown = this.indexAt(onScreen);
  }

  rate(available) {
    const pace = this.data.pace;
    if (pace > 0) return pace;
    return Math.max(60, (available - this.cursor) / 0.7); // "fastest": drain what arrived within a tick
  }

  advance(now) {
    const dt = this.lastTime === null ? 0 : Math.min(0.1, (now - this.lastTime) / 1000);
    this.lastTime = now;
    if (this.asked) this.askForMissing(now);
    if (!this.frames.length || !this.data) return;
    let index = this.shown;
    if (!this.pinned) {
      const available = this.frames[this.frames.length - 1].e;
      const rate = this.rate(available);
      this.cursor = Math.min(this.cursor + rate * dt, available);
      if (available - this.cursor > rate * 3) this.cursor = available - rate; // far behind: catch up
      index = this.indexAt(this.cursor);
      const watchable = this.data.pace > 0 && this.data.pace <= 60;
      const behind = this.frames[index].e - (this.shown >= 0 ? this.frames[this.shown].e : 0);
      // At a watchable pace no recorded epoch is skipped when the browser stutters: one frame per
      // animation frame until the picture has caught up with the clock (unless a second behind).
      if (watchable && this.shown >= 0 && index > this.shown + 1 && behind < rate) index = this.shown + 1;
    }
    if (index !== this.shown || this.dirty) this.show(index);
  }

  indexAt(epoch) {
    let low = 0;
    let high = this.frames.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.frames[middle].e <= epoch) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  scrubTo(index) {
    this.pinned = true;
    this.show(Math.max(0, Math.min(index, this.frames.length - 1)));
  }

  show(index) {
    this.shown = index;
    this.dirty = false;
    const frame = this.frames[index];
    this.root.dataset.epoch = String(frame.e);
    this.drawStats(frame);
    this.drawBoundary(frame);
    if (this.layout.network) this.drawNetwork(frame);
    const last = this.frames.length - 1;
    const still = !this.data.playing && this.cursor >= this.frames[last].e;
    this.scrubber.max = String(last);
    this.scrubber.value = String(index);
    this.scrubber.disabled = !still && !this.pinned;
    const { replay, epoch } = this.layout.labels;
    this.scrubLabel.textContent = `${replay ? `${replay}: ` : ""}${epoch || ""} ${frame.e}`.trim();
    const clickable = this.clickable();
    this.hint.textContent = clickable ? this.layout.labels.click_help || "" : "";
    this.hint.hidden = !clickable || !this.layout.labels.click_help;
    this.boundary.style.cursor = clickable ? "crosshair" : "default";
    this.boundary.title = clickable ? this.layout.labels.click_help || "" : "";
  }

  drawStats(frame) {
    // The numbers of the frame on screen, one compact row: the layout names which (stats) and their labels.
    const labels = this.layout.labels;
    const [trainLoss, trainAccuracy, testLoss, testAccuracy] = frame.m;
    const locale = this.locale;
    // Before the first epoch the model's scores are noise, not a result: a dash, as the page's own row writes.
    const shown = frame.e > 0 ? (text) => text : () => "—";
    const values = {
      epoch: String(frame.e), train_loss: format(trainLoss, 3, locale), test_loss: format(testLoss, 3, locale),
      train_accuracy: percent(trainAccuracy, locale), test_accuracy: percent(testAccuracy, locale),
      // Regression: the same metric slots hold R² (a score that can go below 0), written as a number.
      train_r2: format(trainAccuracy, 3, locale), test_r2: format(testAccuracy, 3, locale),
      train_rmse: format(Math.sqrt(trainLoss), 3, locale), test_rmse: format(Math.sqrt(testLoss), 3, locale),
      gap: !Number.isFinite(trainAccuracy - testAccuracy) ? "—"
        : `${trainAccuracy >= testAccuracy ? "+" : "−"}${this.layout.regression
          ? format(Math.abs(trainAccuracy - testAccuracy), 3, locale)
          : percent(Math.abs(trainAccuracy - testAccuracy), locale)}`,
      parameters: count(this.layout.parameters, locale),
    };
    for (const key of Object.keys(values)) {
      if (key !== "epoch" && key !== "parameters") values[key] = shown(values[key]);
    }
    const keys = (this.layout.stats || ["epoch", "train_loss", "test_loss", "test_accuracy", "parameters"])
      .filter((key) => key !== "parameters" || this.layout.parameters != null); // no count: no «null»
    this.stats.replaceChildren(...keys.map((key) => {
      const item = document.createElement("span");
      const small = document.createElement("small");
      small.textContent = labels[key] || (key.endsWith("_r2") ? labels.score_label || "R²" : key);
      const strong = document.createElement("b");
      strong.textContent = values[key];
      item.append(small, strong);
      return item;
    }));
  }

  drawTiles(frame) {
    // Each first-layer unit's weights as its picture (seed 004's grid): orange negative, blue positive.
    // A colour convolution's filters come as RGB bytes (units, side, side, 3) and are drawn as they are.
    const { side, units } = this.layout.tiles;
    const channels = this.layout.tiles.channels || 1;
    const size = side * side * channels;
    const columns = Math.ceil(Math.sqrt(units));
    const width = Math.min(this.layout.size, this.root.clientWidth || this.layout.size);
    const gap = 4;
    const cell = (width - gap * (columns - 1)) / columns;
    const rows = Math.ceil(units / columns);
    const ctx = fitCanvas(this.boundary, width, rows * cell + (rows - 1) * gap);
    ctx.clearRect(0, 0, width, rows * (cell + gap));
    ctx.imageSmoothingEnabled = false; // pixels are pixels
    const table = this.diverging();
    for (let unit = 0; unit < units; unit++) {
      const image = mapImage(frame.n.subarray(unit * size, (unit + 1) * size), side,
        channels === 3 ? (v, i) => [v[3 * i], v[3 * i + 1], v[3 * i + 2]] : (v, i) => table[v[i]]);
      ctx.drawImage(image, (unit % columns) * (cell + gap), Math.floor(unit / columns) * (cell + gap), cell, cell);
    }
  }

  classColours() {
    if (this._coloursFor !== this.layout) {
      this._coloursFor = this.layout;
      this._colours = this.layout.colors.map(rgb);
    }
    return this._colours;
  }

  boundaryImage(frame, panel = 0) {
    // Panel p's class probabilities: its `channels` bytes in every cell, panels side by side.
    const { resolution, channels } = this.layout;
    const stride = channels * (this.layout.panels ? this.layout.panels.length : 1);
    const offset = panel * channels;
    if (channels === 1) {
      const table = this.layout.regression ? this.regressionColours() : this.binaryColours();
      return mapImage(frame.b, resolution, (b, i) => table[b[i * stride + offset]]);
    }
    const p = new Array(channels);
    return mapImage(frame.b, resolution, (b, i) => {
      for (let c = 0; c < channels; c++) p[c] = b[i * stride + offset + c] / 255;
      return this.cellColour(p);
    });
  }

  diverging() {
    // The layout's diverging colours (negative, zero, positive) by byte, else TF Playground's own.
    if (this._divergingFor !== this.layout) {
      this._divergingFor = this.layout;
      this._diverging = this.layout.diverging ? divergingTable(this.layout.diverging) : DIVERGING;
    }
    return this._diverging;
  }

  signColours() {
    // [negative, positive] as hex: links, biases.
    const colours = this.layout.diverging || [NEGATIVE, "#ffffff", POSITIVE];
    return [colours[0], colours[2]];
  }

  regressionColours() {
    // Regression: the output's ±1 byte on the diverging scale, paled like the classes' plane; discretized,
    // only its sign (TF Playground's "discretize output" for regression).
    if (this._regressionFor !== this.layout) {
      this._regressionFor = this.layout;
      const strength = this.layout.strength;
      const table = divergingTable(this.layout.diverging || [NEGATIVE, "#ffffff", POSITIVE], strength);
      this._regression = this.layout.discretize
        ? table.map((_, byte) => (byte >= 128 ? table[255] : table[0])) : table;
    }
    return this._regression;
  }

  binaryColours() {
    // Two classes: one colour per byte of p(class 1), computed once per layout.
    if (this._tableFor !== this.layout) {
      this._tableFor = this.layout;
      this._table = Array.from({ length: 256 }, (_, byte) => this.cellColour([1 - byte / 255, byte / 255]));
    }
    return this._table;
  }

  cellColour(p) {
    // As nnlab.viz.images.probabilities_rgb: the classes' colours mixed by sharpened probabilities, strong where
    // the model is sure (strength · confidence ** curve), white where it is not.
    const colours = this.classColours();
    const k = p.length;
    const strength = this.layout.strength;
    let best = 0;
    for (let c = 1; c < k; c++) if (p[c] > p[best]) best = c;
    if (this.layout.discretize) return colours[best].map((m, ch) => WHITE[ch] + strength * (m - WHITE[ch]));
    const power = this.layout.sharpen || 1;
    const weights = new Array(k);
    let total = 0;
    for (let c = 0; c < k; c++) {
      weights[c] = p[c] ** power;
      total += weights[c];
    }
    const confidence = Math.max(0, Math.min(1, (p[best] - 1 / k) / Math.max(1 - 1 / k, 1e-9)));
    const s = strength * confidence ** (this.layout.curve || 1);
    return [0, 1, 2].map((ch) => {
      let mixed = 0;
      for (let c = 0; c < k; c++) mixed += (total > 0 ? weights[c] / total : 1 / k) * colours[c][ch];
      return WHITE[ch] + s * (mixed - WHITE[ch]);
    });
  }

  neuronImage(frame, column, unit) {
    const m = this.layout.neuron_resolution;
    if (column === 0) {
      const table = this.diverging();
      return mapImage(this.inputMaps()[unit], m, (v, i) => table[v[i]]);
    }
    const offset = this.layout.network.widths.slice(1, column).reduce((a, b) => a + b, 0) + unit;
    const table = this.diverging();
    return mapImage(frame.n.subarray(offset * m * m, (offset + 1) * m * m), m, (v, i) => table[v[i]]);
  }

  inputMaps() {
    const network = this.layout.network;
    if (this._inputsFor !== network.inputs) {
      this._inputsFor = network.inputs;
      this._inputs = network.inputs.map(bytes);
    }
    return this._inputs;
  }

  drawBoundary(frame) {
    if (this.layout.panels) return this.drawPanels(frame);
    if (this.layout.tiles) return this.drawTiles(frame);
    if (!this.layout.resolution) return; // metrics only
    const size = Math.min(this.layout.size, this.root.clientWidth || this.layout.size);
    const key = this.keyHeight();
    const ctx = fitCanvas(this.boundary, size, size + key);
    ctx.clearRect(0, 0, size, size + key);
    if (key) this.drawKey(ctx, 0, size + 4, size);
    const hover = this.hover;
    const image = hover ? this.neuronImage(frame, hover.column, hover.unit) : this.boundaryImage(frame);
    this.drawPlane(ctx, image, size);
    if (hover) {
      ctx.fillStyle = "rgba(255,255,255,0.85)";
      ctx.fillRect(0, 0, size, 22);
      ctx.fillStyle = "#111";
      ctx.font = TITLE_FONT;
      ctx.textAlign = "left";
      ctx.fillText(this.nodeName(hover.column, hover.unit), 6, 16);
    }
  }

  drawPanels(frame) {
    // Several boundaries of the same epoch (the optimizer race), each titled with its test accuracy.
    const panels = this.layout.panels;
    const width = this.root.clientWidth || 600;
    const columns = Math.max(1, Math.min(panels.length, 3, Math.floor((width + 12) / (this.layout.size + 12))));
    const size = Math.min(this.layout.size, (width - 12 * (columns - 1)) / columns);
    const rows = Math.ceil(panels.length / columns);
    const total = columns * size + 12 * (columns - 1);
    const key = this.keyHeight();
    const ctx = fitCanvas(this.boundary, total, rows * (size + 24) + key);
    ctx.clearRect(0, 0, this.boundary.width, this.boundary.height);
    // One key under all the panels: they share their colours (no repeated legend per panel).
    if (key) this.drawKey(ctx, 0, rows * (size + 24) + 4, Math.min(total, 340));
    panels.forEach((panel, index) => {
      const x = (index % columns) * (size + 12);
      const y = Math.floor(index / columns) * (size + 24);
      ctx.save();
      ctx.translate(x, y + 22);
      this.drawPlane(ctx, this.boundaryImage(frame, index), size);
      ctx.restore();
      // Before the first epoch an untrained net's accuracy is noise, not a result: the title alone.
      const accuracy = frame.e > 0 ? frame.m[4 * index + 3] : NaN;
      ctx.fillStyle = "#222";
      ctx.font = "14px sans-serif";
      ctx.textAlign = "left";
      ctx.fillText(`${panel.title}  ${Number.isFinite(accuracy) ? percent(accuracy, this.locale) : ""}`, x, y + 16);
    });
  }

  drawPlane(ctx, image, size) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(image, 0, 0, size, size);
    ctx.strokeStyle = "#bbb";
    ctx.lineWidth = 1;
    ctx.strokeRect(0.5, 0.5, size - 1, size - 1);
    const { extent, points } = this.layout;
    const colours = this.layout.colors;
    const values = points.v ? this.diverging() : null; // regression: each point in the colour of its own value
    const [trainRing, testRing] = this.layout.rings || ["#ffffff", "#111111"];
    const scale = (v) => ((v + extent) / (2 * extent)) * size;
    // As the static charts (nnlab.viz.charts.point_layer): training points larger, full colour, white ring, drawn
    // last (on top); test points smaller, lighter, dark ring, drawn first.
    const radius = Math.max(3.5, size / 68);
    for (const testPass of [true, false]) {
      if (testPass && !this.layout.show_test) continue;
      ctx.globalAlpha = testPass ? 0.6 : 1; // charts.POINT_OPACITIES
      ctx.lineWidth = testPass ? 1 : Math.min(1.6, radius * 0.3); // a small panel's ring leaves room for the fill
      ctx.strokeStyle = testPass ? testRing : trainRing;
      const r = testPass ? radius * 0.65 : radius;
      for (let i = 0; i < points.x.length; i++) {
        if (Boolean(points.test[i]) !== testPass) continue;
        ctx.beginPath();
        ctx.arc(scale(points.x[i]), size - scale(points.y[i]), r, 0, 2 * Math.PI);
        ctx.fillStyle = values ? `rgb(${values[signedByte(points.v[i])].join(",")})` : colours[points.c[i]];
        ctx.fill();
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }

  keyHeight() {
    // Room for the colour key under the plane: classes or a regression's values (not the digit tiles).
    return this.layout.resolution && this.layout.points && this.layout.labels ? KEY_ROW : 0;
  }

  drawKey(ctx, x, y, width) {
    // What the plane's shades mean, compact: a bar from 0 to 1 (two classes: the probability of class 1), a
    // regression's −1 … +1, or one swatch per class (more classes), the texts from the layout's labels.
    const labels = this.layout.labels;
    const bar = 10;
    ctx.save();
    ctx.font = FONT;
    ctx.fillStyle = "#222";
    ctx.textBaseline = "alphabetic";
    const channels = this.layout.channels;
    if (channels === 1) {
      const table = this.layout.regression ? this.regressionColours() : this.binaryColours();
      const left = x + 22;
      const length = width - 44;
      const gradient = ctx.createLinearGradient(left, 0, left + length, 0); // the plane's own colours, 0 … 255
      for (let byte = 0; byte <= 255; byte += 5) {
        gradient.addColorStop(byte / 255, `rgb(${table[byte].map(Math.round).join(",")})`);
      }
      ctx.fillStyle = gradient;
      ctx.fillRect(left, y, length, bar);
      ctx.strokeStyle = "#bbb";
      ctx.lineWidth = 1;
      ctx.strokeRect(left - 0.5, y - 0.5, length + 1, bar + 1);
      const [low, high] = this.layout.regression ? ["−1", "+1"] : ["0", "1"];
      ctx.fillStyle = "#222";
      ctx.textAlign = "right";
      ctx.fillText(low, left - 4, y + bar);
      ctx.textAlign = "left";
      ctx.fillText(high, left + length + 4, y + bar);
      ctx.textAlign = "center";
      const title = this.layout.regression ? labels.key_value : labels.key_two;
      if (title) ctx.fillText(title, left + length / 2, y + bar + 15);
    } else {
      // More classes: a swatch in each class's colour, numbered as the classes are; paler means less sure.
      const colours = this.classColours();
      const strength = this.layout.strength;
      let at = x;
      ctx.textAlign = "left";
      if (labels.key_classes) {
        ctx.fillText(labels.key_classes, at, y + bar);
        at += ctx.measureText(labels.key_classes).width + 8;
      }
      colours.forEach((colour, c) => {
        ctx.fillStyle = `rgb(${colour.map((m, ch) => Math.round(WHITE[ch] + strength * (m - WHITE[ch]))).join(",")})`;
        ctx.fillRect(at, y, 14, bar + 2);
        ctx.fillStyle = "#222";
        ctx.fillText(String(c), at + 17, y + bar);
        at += 17 + ctx.measureText(String(c)).width + 10;
      });
      if (labels.key_paler) ctx.fillText(labels.key_paler, x, y + bar + 16);
    }
    ctx.restore();
  }

  nodeName(column, unit) {
    const network = this.layout.network;
    return column === 0 ? network.names[unit] : `${network.titles[column]} · ${unit + 1}`;
  }

  geometry() {
    const network = this.layout.network;
    const widths = network.widths;
    const columns = widths.length;
    const tallest = Math.max(...widths);
    const width = Math.max(260, Math.min(this.root.clientWidth || 600, 110 * columns + 70));
    const node = Math.max(14, Math.min(34, 300 / (tallest * 1.5)));
    const spacing = node * 1.45;
    const body = Math.max(200, tallest * spacing + 40);
    const height = body + CAPTION_ROW; // a row below the nodes for the dead links' count
    const left = 58;
    const step = columns > 1 ? (width - left - node - 10) / (columns - 1) : 0;
    const nodes = widths.map((count, column) => Array.from({ length: count }, (_, unit) => ({
      column, unit,
      x: left + column * step,
      y: 28 + (body - 28) / 2 + ((count - 1) / 2 - unit) * spacing * -1 - node / 2,
    })));
    return { width, height, node, nodes };
  }

  weightsOf(frame) {
    // Layer by layer: kernel (rows = inputs, row-major) then bias.
    const widths = this.layout.network.widths;
    const out = [];
    let offset = 0;
    for (let layer = 0; layer < widths.length - 1; layer++) {
      const rows = widths[layer];
      const units = widths[layer + 1];
      const kernel = frame.w.subarray(offset, offset + rows * units);
      offset += rows * units;
      const hasBias = this.layout.network.biases[layer];
      const bias = hasBias ? frame.w.subarray(offset, offset + units) : null;
      offset += hasBias ? units : 0;
      out.push({ kernel, bias, rows, units });
    }
    return out;
  }

  drawNetwork(frame) {
    const geometry = this.geometry();
    this.geometryNow = geometry;
    const { width, height, node, nodes } = geometry;
    const ctx = fitCanvas(this.network, width, height);
    ctx.clearRect(0, 0, width, height);
    const layers = this.weightsOf(frame);
    let top = 1e-6;
    for (const l of layers) for (const w of l.kernel) top = Math.max(top, Math.abs(w));
    const [negative, positive] = this.signColours();
    let dead = 0;
    layers.forEach((layer, index) => {
      for (let row = 0; row < layer.rows; row++) {
        for (let unit = 0; unit < layer.units; unit++) {
          const w = layer.kernel[row * layer.units + unit];
          const a = nodes[index][row];
          const b = nodes[index + 1][unit];
          ctx.beginPath();
          ctx.moveTo(a.x + node, a.y + node / 2);
          ctx.lineTo(b.x, b.y + node / 2);
          if (w === 0) { // exactly 0 (L1 snapped it; float16 keeps an exact 0): a dead link, thin, dashed, grey
            dead++;
            ctx.setLineDash([4, 3]);
            ctx.strokeStyle = this.layout.dead || DEAD;
            ctx.globalAlpha = 0.9;
            ctx.lineWidth = 1;
          } else {
            ctx.setLineDash([]);
            ctx.strokeStyle = w >= 0 ? positive : negative;
            ctx.globalAlpha = 0.75;
            ctx.lineWidth = 0.4 + 4.6 * Math.min(1, Math.abs(w) / top);
          }
          ctx.stroke();
        }
      }
    });
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
    this.root.dataset.deadLinks = String(dead);
    ctx.imageSmoothingEnabled = true;
    nodes.forEach((column, c) => column.forEach((n) => {
      ctx.drawImage(this.neuronImage(frame, c, n.unit), n.x, n.y, node, node);
      const hovered = this.hover && this.hover.column === c && this.hover.unit === n.unit;
      ctx.lineWidth = hovered ? 2.5 : 1;
      ctx.strokeStyle = hovered ? "#111" : "#9e9e9e";
      ctx.strokeRect(n.x - 0.5, n.y - 0.5, node + 1, node + 1);
      if (c > 0 && layers[c - 1].bias) {
        const b = layers[c - 1].bias[n.unit];
        const s = Math.max(5, node / 3);
        ctx.fillStyle = b >= 0 ? positive : negative;
        ctx.fillRect(n.x - s / 2, n.y + node - s / 2, s, s);
        ctx.strokeStyle = "#555";
        ctx.lineWidth = 0.6;
        ctx.strokeRect(n.x - s / 2, n.y + node - s / 2, s, s);
      }
    }));
    ctx.fillStyle = "#222";
    ctx.font = FONT;
    ctx.textAlign = "right";
    nodes[0].forEach((n) => ctx.fillText(this.layout.network.names[n.unit], n.x - 6, n.y + node / 2 + 4));
    ctx.textAlign = "center";
    ctx.font = TITLE_FONT;
    this.layout.network.titles.forEach((title, c) => {
      const x = nodes[c][0].x + node / 2;
      ctx.fillText(title, Math.min(Math.max(x, 40), width - 40), 14);
    });
    const deadText = this.layout.labels.dead_links;
    if (dead > 0 && deadText) { // the count of dead weights, small, in the diagram's lower left corner
      ctx.textAlign = "left";
      ctx.fillStyle = "#555";
      ctx.font = FONT;
      ctx.fillText(deadText.replace("{n}", count(dead, this.locale)), 4, height - 3);
    }
  }

  pointer(event) {
    const box = this.network.getBoundingClientRect();
    return { x: event.clientX - box.left, y: event.clientY - box.top };
  }

  nodeAt(p) {
    const g = this.geometryNow;
    if (!g) return null;
    for (const column of g.nodes) {
      for (const n of column) {
        if (p.x >= n.x && p.x <= n.x + g.node && p.y >= n.y && p.y <= n.y + g.node) return n;
      }
    }
    return null;
  }

  setHover(n) {
    const next = n ? { column: n.column, unit: n.unit } : null;
    if (JSON.stringify(next) === JSON.stringify(this.hover)) return;
    this.hover = next;
    if (this.shown >= 0) this.show(this.shown);
  }

  pointerMove(event) {
    const p = this.pointer(event);
    this.setHover(this.nodeAt(p));
    const weight = this.weightAt(p);
    this.network.style.cursor = this.editable() && weight ? "pointer" : "default";
    const dead = weight && weight.row >= 0 && weight.value === 0;
    this.network.title = dead ? this.layout.labels.dead_link || "" : "";
  }

  editable() {
    return this.data && this.data.editable && !this.data.playing && !this.pinned
      && this.shown === this.frames.length - 1;
  }

  weightAt(p) {
    // The bias square under the pointer, else the link within 5 px: {layer, row (-1 = bias), unit, value}.
    const g = this.geometryNow;
    const frame = this.frames[this.shown];
    if (!g || !frame) return null;
    const layers = this.weightsOf(frame);
    const s = Math.max(5, g.node / 3);
    for (let c = 1; c < g.nodes.length; c++) {
      const bias = layers[c - 1].bias;
      if (!bias) continue;
      for (const n of g.nodes[c]) {
        if (Math.abs(p.x - n.x) <= s / 2 + 2 && Math.abs(p.y - (n.y + g.node)) <= s / 2 + 2) {
          return { layer: c - 1, row: -1, unit: n.unit, value: bias[n.unit] };
        }
      }
    }
    let best = null;
    layers.forEach((layer, index) => {
      for (let row = 0; row < layer.rows; row++) {
        for (let unit = 0; unit < layer.units; unit++) {
          const a = g.nodes[index][row];
          const b = g.nodes[index + 1][unit];
          const d = segmentDistance(p, { x: a.x + g.node, y: a.y + g.node / 2 }, { x: b.x, y: b.y + g.node / 2 });
          if (d < 5 && (!best || d < best.d)) {
            best = { d, layer: index, row, unit, value: layer.kernel[row * layer.units + unit] };
          }
        }
      }
    });
    return best;
  }

  click(event) {
    const p = this.pointer(event);
    const n = this.nodeAt(p);
    if (n && event.pointerType !== "mouse") this.setHover(n); // a tap shows the map, as hovering does
    if (!this.editable()) return;
    const weight = this.weightAt(p);
    if (!weight) return;
    this.editing = weight;
    this.editor.value = weight.value.toFixed(3);
    this.editor.style.left = `${Math.min(p.x, this.network.clientWidth - 110)}px`;
    this.editor.style.top = `${p.y + this.network.offsetTop - 14}px`;
    this.editor.title = this.layout.labels.edit_help;
    this.editor.hidden = false;
    this.editor.focus();
    this.editor.select();
  }

  clickable() {
    // Clicks add points where the player is editable (the Playground, paused, on its last frame), on a plane
    // of its own (not the race's panels, not digit tiles), unless a lesson link hides the student's own points.
    const plane = Boolean(this.layout.resolution && this.layout.points && !this.layout.panels);
    return this.editable() && plane && this.layout.clickable !== false;
  }

  planeClick(event) {
    // Where the student clicked, in data coordinates: the plane spans [-extent, extent]², x2 up.
    if (this.hover && event.pointerType !== "mouse") this.setHover(null); // a tap leaves a neuron's map
    if (!this.clickable()) return;
    const box = this.boundary.getBoundingClientRect();
    if (!box.width) return;
    const extent = this.layout.extent;
    const round = (v) => Math.round(Math.max(-extent, Math.min(extent, v)) * 1000) / 1000;
    const x1 = round(((event.clientX - box.left) / box.width) * 2 * extent - extent);
    // The plane is the canvas's top square (its colour key sits below): y is scaled by the width too.
    if (event.clientY - box.top > box.width) return;
    const x2 = round(extent - ((event.clientY - box.top) / box.width) * 2 * extent);
    // Increasing across reloads too (a remounted player starts again), so a repeated result is never added twice.
    this.clickSerial = Math.max(this.clickSerial + 1, Date.now());
    const click = { x1, x2, serial: this.clickSerial };
    this.clicks.push(click);
    this.root.dataset.clicks = JSON.stringify(this.clicks.slice(-20));
    this.trigger("click", click);
  }

  editKey(event) {
    if (event.key === "Escape") this.closeEditor();
    if (event.key !== "Enter") return;
    const value = Number(this.editor.value.replace(",", "."));
    if (this.editing && this.editor.value.trim() !== "" && Number.isFinite(value)) {
      const { layer, row, unit } = this.editing;
      this.trigger("edit", { layer, row, unit, value });
    }
    this.closeEditor();
  }

  closeEditor() {
    this.editing = null;
    this.editor.hidden = true;
  }
}

function segmentDistance(p, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let root = parentElement.querySelector("[data-testid='nnlab-player']");
  if (!root) {
    root = document.createElement("div");
    root.dataset.testid = "nnlab-player";
    root.className = "nnlab-player";
    root.innerHTML = `<div class="stats"></div>
      <div class="views"><canvas class="boundary"></canvas><canvas class="network"></canvas>
      <input class="edit" type="text" inputmode="decimal" hidden></div>
      <small class="hint" hidden></small>
      <label class="scrubbing"><span class="scrub-label"></span><input class="scrub" type="range" min="0" value="0"></label>`;
    parentElement.appendChild(root);
    root.player = new Player(root);
    setStateValue("ready", true); // the page stops drawing its static pictures for this browser
  }
  root.player.update(data, setTriggerValue);
  root.querySelector("canvas.network").hidden = !data.layout.network;
  root.querySelector("canvas.boundary").hidden = !(data.layout.resolution || data.layout.tiles);
}
