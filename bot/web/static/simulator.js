// The simulator page: sends what you type or attach to the simulator API and shows the conversation as it stands.
(() => {
  const $ = (id) => document.getElementById(id);
  const chat = $("chat"), from = $("from"), channel = $("channel"), text = $("text"), file = $("file");
  // `unheard`: the number has no conversation yet (a new artisan), so there is nothing to poll for until the first
  // message; asking would only fetch a 404 every 2.5 s.
  let busy = false, lastRendered = "", unheard = false;

  const randomNumber = () => "+9198" + String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const stored = localStorage.getItem("hunar.from");
  from.value = stored || randomNumber();
  unheard = !stored;
  from.addEventListener("change", () => { localStorage.setItem("hunar.from", from.value.trim()); unheard = false; refresh(); });
  $("new-artisan").addEventListener("click", () => { from.value = randomNumber(); localStorage.setItem("hunar.from", from.value); unheard = true; clear(); });

  const el = (tag, cls, txt) => { const e = document.createElement(tag); if (cls) e.className = cls; if (txt != null) e.textContent = txt; return e; };

  function renderMessages(messages) {
    const key = JSON.stringify(messages.map((m) => [m.id, m.status]));
    if (key === lastRendered) return;
    lastRendered = key;
    chat.replaceChildren();
    for (const m of messages) {
      const li = el("li", "msg " + m.direction + (m.author === "staff" ? " staff" : ""));
      for (const url of m.photos || []) {
        const img = el("img"); img.alt = "photo";
        img.addEventListener("load", () => { chat.scrollTop = chat.scrollHeight; });  // photos arrive after the text
        img.src = url; li.append(img);
      }
      if (m.text) li.append(document.createTextNode(m.text));
      li.append(el("span", "meta", m.direction === "out" ? (m.author === "staff" ? "staff · " : "") + m.status : ""));
      chat.append(li);
      if (m.direction === "out" && m.buttons && m.buttons.length && m === messages[messages.length - 1]) {
        const row = el("li", "buttons");
        for (const b of m.buttons) {
          const btn = el("button", null, b.title);
          btn.type = "button";
          btn.addEventListener("click", () => send({ text: b.title, button: b.id }));
          row.append(btn);
        }
        chat.append(row);
      }
    }
    chat.scrollTop = chat.scrollHeight;
  }

  // {"hi": "दरी", "en": "durrie"} reads as "दरी (durrie)"; lists and other objects as short text.
  function show(v) {
    if (Array.isArray(v)) return v.map(show).join(", ");
    if (v && typeof v === "object") {
      if ("hi" in v || "en" in v) return v.en && v.en !== v.hi ? `${v.hi} (${v.en})` : String(v.hi ?? v.en);
      return Object.entries(v).filter(([, x]) => x != null).map(([k, x]) => `${k}: ${show(x)}`).join(", ");
    }
    return String(v);
  }

  function fill(dl, obj) {
    dl.replaceChildren();
    for (const [k, v] of Object.entries(obj || {})) {
      if (v == null || v === "" || (Array.isArray(v) && !v.length)) continue;
      dl.append(el("dt", null, k), el("dd", null, show(v)));
    }
  }

  function renderState(data) {
    fill($("state"), data.conversation);
    fill($("artisan"), data.artisan);
    fill($("draft"), data.draft);
    const thumbs = $("draft-photos");
    thumbs.replaceChildren();
    for (const p of data.draft_photos || []) {
      if (!p.url) continue;
      const img = el("img", p.verdict); img.src = p.url; img.title = p.verdict + (p.reason ? ": " + p.reason : ""); thumbs.append(img);
    }
    const list = $("listings");
    list.replaceChildren();
    for (const l of data.listings || []) {
      list.append(el("li", null, `${(l.title && (l.title.hi || l.title.en)) || (l.product && l.product.hi) || "listing"} · ₹${l.price.amount ?? "?"} · ${l.status}`));
    }
    renderMessages(data.messages || []);
  }

  function clear() { chat.replaceChildren(); lastRendered = ""; fill($("state"), {}); fill($("draft"), {}); }

  async function refresh() {
    if (unheard) return;
    const asked = from.value.trim();
    const res = await fetch("/simulator/api/conversations/" + encodeURIComponent(asked));
    const data = res.ok ? await res.json() : null;
    if (asked !== from.value.trim()) return;  // the number changed meanwhile ("new artisan"): not theirs to show
    if (data) renderState(data);
    else { clear(); unheard = res.status === 404; }  // no such conversation: wait for a first message
  }

  const toBase64 = (f) => new Promise((ok, fail) => {
    const r = new FileReader();
    r.onload = () => ok(String(r.result).split(",", 2)[1]);
    r.onerror = () => fail(r.error);
    r.readAsDataURL(f);
  });

  async function send(extra) {
    if (busy) return;
    busy = true;
    $("status-line").textContent = "लिख रहे हैं…";
    const body = { from: from.value.trim(), channel: channel.value, text: "", ...extra };
    try {
      const res = await fetch("/simulator/api/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const data = await res.json().catch(() => ({}));
      if (res.ok) { unheard = false; localStorage.setItem("hunar.from", body.from); }
      if (!res.ok) { const p = $("pending"); p.hidden = false; p.textContent = data.error || res.statusText; setTimeout(() => (p.hidden = true), 5000); }
      await refresh();
    } finally {
      busy = false;
      $("status-line").textContent = "ऑनलाइन";
    }
  }

  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const t = text.value;
    if (!t.trim()) return;
    text.value = "";
    send({ text: t });
  });

  file.addEventListener("change", async () => {
    const files = [...file.files];
    file.value = "";
    if (!files.length) return;
    const media = [];
    for (const f of files) media.push({ content_type: f.type || "application/octet-stream", data_base64: await toBase64(f) });
    send({ text: text.value, media });
    text.value = "";
  });

  refresh();
  setInterval(() => { if (!busy && document.visibilityState === "visible") refresh(); }, 2500);
})();
