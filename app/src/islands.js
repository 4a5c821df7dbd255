// Loads the wasm only on pages that have islands, hydrates each island (nested ones inside their
// parent's children), then marks <body data-hydrated> (browser tests wait for the mark). After
// Leptos 0.8's own island script (MIT), with the mark and without the load on island-free pages.
((root, pkg, js, wasm) => {
  const mark = () => document.body.setAttribute("data-hydrated", "");
  if (!document.querySelector("leptos-island")) { mark(); return; }
  const childrenCb = [];
  async function island(el, mod) {
    const f = mod[el.dataset.component || ""];
    // an error, not a warning: a page whose island never wakes must fail the browser tests
    if (!f) { console.error(`no wasm function for the island ${el.dataset.component}`); return; }
    const cb = childrenCb[childrenCb.length - 1];
    if (cb) cb();
    const r = f(el);
    if (r && r.then) await r;
  }
  async function walk(node, mod) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const tag = node.tagName.toLowerCase();
    if (tag === "leptos-island") await island(node, mod);
    if (tag === "leptos-children") childrenCb.push(node.$$on_hydrate);
    for (const child of node.children) await walk(child, mod);
    if (tag === "leptos-children") childrenCb.pop();
  }
  import(`${root}/${pkg}/${js}.js`).then(async (mod) => {
    await mod.default({ module_or_path: `${root}/${pkg}/${wasm}.wasm` });
    mod.hydrate();
    await walk(document.body, mod);
    window.__hydrateIsland = (el) => island(el, mod);
    mark();
  });
})
