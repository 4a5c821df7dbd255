// Loads a wasm only on pages that have islands, and then the bundle that holds the page's first
// island (`files`: island name → [js, wasm] file stems; one page kind uses one bundle), hydrates
// each island (nested ones inside their parent's children), then marks <body data-hydrated>
// (browser tests wait for the mark). After Leptos 0.8's own island script (MIT), with the mark,
// without the load on island-free pages, and with one bundle per page kind.
((root, pkg, files) => {
  const mark = () => document.body.setAttribute("data-hydrated", "");
  const first = document.querySelector("leptos-island");
  if (!first) { mark(); return; }
  // the component's wasm function is named <Island>_<hash>
  const bundle = files[(first.dataset.component || "").replace(/_\d+$/, "")];
  if (!bundle) { console.error(`no bundle holds the island ${first.dataset.component}`); return; }
  const [js, wasm] = bundle;
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
