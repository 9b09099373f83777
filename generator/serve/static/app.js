// gen-directive serve: the editor page. Plain JavaScript, no library, nothing loaded from elsewhere.
//
// The form is built at run time from the spec's JSON Schema (the same one as docs/spec.schema.json), so a
// new key of the spec appears here without new code. Every edit is sent to the server, which writes the
// YAML, validates it with the command line's own code and queues the preview; the YAML is the source of
// truth and is always one click away (tab "YAML").
"use strict";

(function () {
  const S = {
    token: document.querySelector('meta[name="gd-token"]').content,
    boot: null, session: null, root: null, fields: {},
    rev: 0, goodRev: 0, shownRev: 0, sentSeq: 0, timer: null, yamlTimer: null,
    lastAnswer: null, previewState: "none", busy: 0,
  };
  const DEBOUNCE_MS = 450;
  const MULTILINE = new Set(["subject", "body", "text", "prepend", "append", "action", "basis_extra"]);
  const TALL = new Set(["body", "text", "prepend", "append"]);

  // ------------------------------------------------------------------ small helpers

  function t(key, vars) {
    let text = (S.boot && S.boot.strings[key]) || key;
    for (const [name, value] of Object.entries(vars || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // Accent-insensitive form of a text: "Lai Châu" and "lai chau" match.
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  }

  function pathKey(path) { return path.join("."); }

  async function api(method, url, body, raw) {
    const options = { method, headers: {} };
    if (method === "POST") {
      options.headers["X-Gen-Directive-Token"] = S.token;
      if (raw) { options.body = raw; options.headers["Content-Type"] = "application/octet-stream"; }
      else { options.body = JSON.stringify(body || {}); options.headers["Content-Type"] = "application/json"; }
    }
    let response;
    try { response = await fetch(url, options); }
    catch (error) { showFatal(t("server_gone")); throw error; }
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("json") ? await response.json() : { error: await response.text() };
    if (!response.ok && !data.error) data.error = response.status + " " + response.statusText;
    return data;
  }

  function showFatal(message) {
    const box = document.getElementById("problems");
    box.hidden = false;
    box.replaceChildren(el("p", { class: "fatal", text: message }));
  }

  function changed() {
    clearTimeout(S.timer);
    S.timer = setTimeout(sendValues, DEBOUNCE_MS);
  }

  function label(key, schema) {
    return (S.boot.labels[key]) || capital(schema.description || key);
  }

  function capital(text) { return text ? text.charAt(0).toUpperCase() + text.slice(1) : text; }

  function register(path, node) {
    const message = el("div", { class: "msg", role: "alert" });
    node.append(message);
    node.dataset.path = pathKey(path);
    S.fields[pathKey(path)] = { node, message };
  }

  function autoGrow(area) {
    area.style.height = "auto";
    area.style.height = Math.min(area.scrollHeight + 2, area.classList.contains("tall") ? 560 : 200) + "px";
  }

  // ------------------------------------------------------------------ components
  // Each component: { el, get(), set(value) }. get() returns undefined for "left empty" (the default).

  function make(schema, path, key, context) {
    schema = schema || {};
    if (key === "issuer" && schema.anyOf && path.length === 1) return anyOfField(schema, path, key, true);
    if (schema.anyOf) return anyOfField(schema, path, key, false);
    if (schema.oneOf) return numberField(schema, path, key);
    if (schema.enum) return enumField(schema, path, key);
    if (schema.format === "date") return dateField(schema, path, key);
    const type = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (type.includes("boolean")) return boolField(schema, path, key);
    if (type.includes("array")) return arrayField(schema, path, key, context);
    if (type.includes("object") && schema.patternProperties) return dictField(schema, path, key);
    if (type.includes("object")) return objectField(schema, path, key, context);
    if (context === "organ") return organField(schema, path, key);
    return textField(schema, path, key, context);
  }

  function row(schema, path, key, input, extraClass) {
    const node = el("div", { class: "field " + (extraClass || "") },
      el("label", { class: "label", title: schema.description || "" },
        el("span", { text: label(key, schema) }), el("code", { class: "key", text: key })),
      input);
    register(path, node);
    return node;
  }

  function textField(schema, path, key, context) {
    const multiline = MULTILINE.has(key) || context === "block";
    const area = el("textarea", {
      class: "input" + (TALL.has(key) || context === "block" ? " tall" : "") + (multiline ? "" : " single"),
      rows: TALL.has(key) || context === "block" ? 8 : (multiline ? 2 : 1),
      spellcheck: "false", "aria-label": label(key, schema),
      placeholder: schema.description || "",
      oninput: () => { autoGrow(area); changed(); },
    });
    const bare = context === "item" || context === "block";
    const node = bare ? el("div", { class: "item-input" }, area) : row(schema, path, key, area);
    if (bare) register(path, node);
    return {
      el: node, input: area,
      get: () => (area.value.trim() === "" ? undefined : area.value),
      set: (v) => { area.value = v === undefined || v === null ? "" : String(v); requestAnimationFrame(() => autoGrow(area)); },
    };
  }

  function dateField(schema, path, key) {
    const input = el("input", { class: "input date", type: "text", inputmode: "numeric", placeholder: "YYYY-MM-DD",
      "aria-label": label(key, schema), oninput: () => { changed(); if (path.length === 1) refreshOrganCard(); } });
    return { el: row(schema, path, key, input), input,
      get: () => (input.value.trim() === "" ? undefined : input.value.trim()),
      set: (v) => { input.value = v == null ? "" : String(v); } };
  }

  function numberField(schema, path, key) {
    const input = el("input", { class: "input number", type: "text", inputmode: "numeric", "aria-label": label(key, schema),
      placeholder: schema.description || "", oninput: changed });
    return { el: row(schema, path, key, input), input,
      get: () => (input.value.trim() === "" ? undefined : input.value.trim()),
      set: (v) => { input.value = v == null ? "" : String(v); } };
  }

  function enumField(schema, path, key) {
    const names = key === "type" && path.length === 1 ? S.boot.doc_types : {};
    const select = el("select", { class: "input", "aria-label": label(key, schema), onchange: () => { changed(); if (key === "body_template") refreshBlockHint(); } },
      el("option", { value: "", text: t("default") }),
      schema.enum.map((value) => el("option", { value, text: names[value] ? names[value] + " (" + value + ")" : value })));
    return { el: row(schema, path, key, select), input: select,
      get: () => (select.value === "" ? undefined : select.value),
      set: (v) => { select.value = v == null ? "" : String(v); if (v != null && select.value !== String(v)) { select.append(el("option", { value: String(v), text: String(v) })); select.value = String(v); } } };
  }

  function boolField(schema, path, key) {
    const select = el("select", { class: "input bool", "aria-label": label(key, schema), onchange: changed },
      el("option", { value: "", text: t("default") }), el("option", { value: "true", text: t("yes") }),
      el("option", { value: "false", text: t("no") }));
    return { el: row(schema, path, key, select), input: select,
      get: () => (select.value === "" ? undefined : select.value === "true"),
      set: (v) => { select.value = v === true ? "true" : v === false ? "false" : ""; } };
  }

  function objectField(schema, path, key, context) {
    const children = {};
    const body = el("div", { class: "object-body" });
    for (const [name, sub] of Object.entries(schema.properties || {})) {
      const child = make(sub, path.concat([name]), name, name === "issuer" && key !== null ? "organ" : undefined);
      children[name] = child;
      body.append(child.el);
    }
    let extra = {};
    let node;
    if (context === "item" || context === "alt") {
      node = el("div", { class: "object inline" }, body);
      register(path, node);
    } else {
      node = el("details", { class: "object", open: path.length <= 1 ? true : null },
        el("summary", {}, el("span", { text: label(key, schema) }), el("code", { class: "key", text: key })), body);
      register(path, node);
    }
    return {
      el: node, children,
      get: () => {
        const out = {};
        for (const [name, child] of Object.entries(children)) {
          const value = child.get();
          if (value !== undefined) out[name] = value;
        }
        for (const [name, value] of Object.entries(extra)) if (!(name in out)) out[name] = value;
        return Object.keys(out).length ? out : undefined;
      },
      set: (v) => {
        const value = v && typeof v === "object" && !Array.isArray(v) ? v : {};
        extra = {};
        for (const [name, item] of Object.entries(value)) if (!(name in children)) extra[name] = item;
        for (const [name, child] of Object.entries(children)) child.set(value[name]);
        if (node.tagName === "DETAILS" && Object.keys(value).length) node.open = true;
      },
    };
  }

  function arrayField(schema, path, key, context) {
    let items = [];
    const list = el("div", { class: "array-items" });
    const itemSchema = schema.items || {};
    const addButton = el("button", { type: "button", class: "btn small add", text: "+ " + t("add"),
      onclick: () => { addItem(undefined); changed(); const last = items[items.length - 1]; focusIn(last && last.el); } });
    function addItem(value) {
      const index = items.length;
      const child = make(itemSchema, path.concat([index]), key, "item");
      const remove = el("button", { type: "button", class: "btn small remove", title: t("remove"), "aria-label": t("remove"), text: "×",
        onclick: () => { const values = items.map((c) => c.get()); values.splice(index, 1); component.set(values); changed(); } });
      const wrapper = el("div", { class: "array-item" }, el("span", { class: "index", text: String(index + 1) }), child.el, remove);
      list.append(wrapper);
      items.push(child);
      if (value !== undefined) child.set(value);
    }
    const node = el("div", { class: "field array" + (context === "alt" ? " bare" : "") },
      context === "alt" ? null : el("div", { class: "label" }, el("span", { text: label(key, schema) }), el("code", { class: "key", text: key })),
      list, addButton);
    register(path, node);
    const component = {
      el: node,
      get: () => {
        const values = items.map((c) => c.get()).filter((v) => v !== undefined);
        return values.length ? values : undefined;
      },
      set: (v) => {
        for (const p of Object.keys(S.fields)) if (p.startsWith(pathKey(path) + ".")) delete S.fields[p];
        items = [];
        list.replaceChildren();
        for (const value of Array.isArray(v) ? v : []) addItem(value);
      },
    };
    return component;
  }

  function focusIn(node) { const input = node && node.querySelector("textarea, input, select"); if (input) input.focus(); }

  function dictField(schema, path, key) {
    let rows = [];
    const itemSchema = Object.values(schema.patternProperties)[0] || {};
    const list = el("div", { class: "dict-items" });
    const hint = el("p", { class: "hint" });
    const datalist = el("datalist", { id: "dl-" + pathKey(path).replace(/\W/g, "-") });
    function addRow(name, value) {
      const nameInput = el("input", { class: "input block-name", type: "text", list: datalist.id, placeholder: t("block_name"),
        "aria-label": t("block_name"), oninput: changed });
      nameInput.value = name || "";
      const childPath = path.concat([name || "?" + rows.length]);
      const child = make(itemSchema, childPath, name || "", "block-value");
      const entry = { nameInput, child };
      const remove = el("button", { type: "button", class: "btn small remove", text: "×", title: t("remove"), "aria-label": t("remove"),
        onclick: () => { rows = rows.filter((r) => r !== entry); wrapper.remove(); changed(); } });
      const wrapper = el("div", { class: "dict-item" }, el("div", { class: "dict-head" }, nameInput, remove), child.el);
      list.append(wrapper);
      rows.push(entry);
      if (value !== undefined) child.set(value);
    }
    const node = el("div", { class: "field dict" },
      el("div", { class: "label" }, el("span", { text: label(key, schema) }), el("code", { class: "key", text: key })),
      hint, datalist, list,
      el("button", { type: "button", class: "btn small add", text: "+ " + t("add_block"), onclick: () => { addRow("", undefined); changed(); } }));
    register(path, node);
    S.blockHint = () => {
      const chosen = S.root && S.root.children.body_template ? S.root.children.body_template.get() : undefined;
      const blocks = (chosen && S.boot.templates[chosen]) || [];
      datalist.replaceChildren(...blocks.map((b) => el("option", { value: b })));
      hint.textContent = blocks.length ? t("template_blocks", { blocks: blocks.join(", ") }) : "";
    };
    return {
      el: node,
      get: () => {
        const out = {};
        for (const r of rows) { const name = r.nameInput.value.trim(); const value = r.child.get(); if (name && value !== undefined) out[name] = value; }
        return Object.keys(out).length ? out : undefined;
      },
      set: (v) => {
        rows = [];
        list.replaceChildren();
        for (const [name, value] of Object.entries(v && typeof v === "object" ? v : {})) addRow(name, value);
      },
    };
  }

  function refreshBlockHint() { if (S.blockHint) S.blockHint(); }

  // A value that may take several shapes (a registry id or a mapping; a text or a mapping; a list or a mapping).
  function anyOfField(schema, path, key, topIssuer) {
    const alternatives = schema.anyOf;
    const shapeOf = (alt) => {
      const type = Array.isArray(alt.type) ? alt.type : [alt.type];
      if (type.includes("object")) return "object";
      if (type.includes("array")) return "array";
      return "text";
    };
    const organContext = key === "issuer";
    const names = alternatives.map((alt) => {
      const shape = shapeOf(alt);
      if (organContext) return shape === "text" ? t("alt_registry") : t("alt_written");
      return t(shape === "object" ? "alt_object" : shape === "array" ? "alt_array" : "alt_text");
    });
    let current = 0;
    let child = null;
    const holder = el("div", { class: "alt-body" });
    const switcher = el("div", { class: "switch", role: "radiogroup" });
    const buttons = names.map((name, index) => el("button", { type: "button", class: "seg", text: name, onclick: () => choose(index, true) }));
    switcher.append(...buttons);
    function build(index) {
      current = index;
      buttons.forEach((b, i) => b.classList.toggle("on", i === index));
      const alt = alternatives[index];
      const shape = shapeOf(alt);
      const context = shape === "text" && organContext ? "organ" : "alt";
      child = make(alt, path, key, shape === "text" ? (organContext ? "organ" : (key === "" || path[0] === "blocks" ? "block" : "item")) : context);
      holder.replaceChildren(child.el);
    }
    function choose(index, user) {
      if (index === current && child) return;
      const before = child ? child.get() : undefined;
      build(index);
      if (user && before !== undefined) {
        if (shapeOf(alternatives[index]) === "object" && typeof before === "string") child.set(key === "issuer" ? { id: before } : { text: before });
        else if (typeof before === "object" && !Array.isArray(before) && shapeOf(alternatives[index]) === "text") child.set(before.id || before.text || "");
        else if (Array.isArray(before) && shapeOf(alternatives[index]) === "object") child.set({ items: before });
        else if (before && before.items && shapeOf(alternatives[index]) === "array") child.set(before.items);
      }
      if (user) changed();
    }
    const inItem = path.length > 1 && typeof path[path.length - 1] === "number";
    const node = inItem || path[0] === "blocks"
      ? el("div", { class: "anyof inline" }, switcher, holder)
      : el("div", { class: "field anyof" },
        el("div", { class: "label", title: schema.description || "" }, el("span", { text: label(key, schema) }), el("code", { class: "key", text: key })),
        switcher, holder);
    if (topIssuer) node.append(el("div", { id: "organ-card", class: "organ-card", hidden: true }));
    build(0);
    return {
      el: node,
      get: () => child.get(),
      set: (v) => {
        let index = 0;
        alternatives.forEach((alt, i) => {
          const shape = shapeOf(alt);
          if (v && typeof v === "object" && !Array.isArray(v) && shape === "object") index = i;
          if (Array.isArray(v) && shape === "array") index = i;
        });
        if (typeof v === "string" || typeof v === "number" || v == null) index = alternatives.findIndex((alt) => shapeOf(alt) === "text");
        if (index < 0) index = 0;
        build(index);
        child.set(v);
        if (topIssuer) refreshOrganCard();
      },
    };
  }

  // The organ: a registry id, picked by searching names (accents optional); free text stays possible.
  function organField(schema, path, key) {
    const input = el("input", { class: "input organ", type: "text", autocomplete: "off", placeholder: t("organ_search"),
      "aria-label": label(key, schema), spellcheck: "false" });
    const results = el("ul", { class: "organ-results", role: "listbox", hidden: true });
    const chosenName = el("div", { class: "organ-name" });
    let active = -1;
    function describe() {
      const organ = S.boot.organs.find((o) => o.id === input.value.trim());
      chosenName.textContent = organ ? organ.name : "";
    }
    function search() {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      if (!words.length) { results.hidden = true; return; }
      const found = S.boot.organs.filter((o) => {
        const hay = o._fold || (o._fold = fold([o.name, o.id, o.header.join(" "), o.place, o.symbol].join(" ")));
        return words.every((w) => hay.includes(w));
      }).slice(0, 12);
      active = -1;
      results.replaceChildren(...(found.length ? found.map((o) => el("li", { role: "option", "data-id": o.id,
        onmousedown: (e) => { e.preventDefault(); pick(o.id); } },
        el("strong", { text: o.name }), el("span", { class: "organ-id", text: o.id }),
        o.until || o.from ? el("span", { class: "organ-dates", text: (o.from || "…") + " → " + (o.until || t("organ_now")) }) : null))
        : [el("li", { class: "none", text: t("organ_none") })]));
      results.hidden = false;
    }
    function pick(id) {
      input.value = id;
      results.hidden = true;
      describe();
      commit();
      if (path.length === 1) refreshOrganCard();
    }
    // While the list of matches is open, the text is a search, not a value: the spec changes when an organ is
    // picked, or when the clerk leaves the field with a text of their own (a parent's issuer as printed).
    let committed = "";
    const commit = () => { if (committed !== input.value) { committed = input.value; changed(); } };
    input.addEventListener("input", () => { search(); describe(); if (results.hidden || /^[a-z0-9-]+(\/[a-z0-9-]+)+$/.test(input.value.trim())) commit(); if (path.length === 1) refreshOrganCard(); });
    input.addEventListener("change", commit);
    input.addEventListener("focus", () => { if (input.value && !S.boot.organs.some((o) => o.id === input.value.trim())) search(); });
    input.addEventListener("blur", () => { setTimeout(() => { if (document.activeElement !== input) results.hidden = true; }, 150); });
    input.addEventListener("keydown", (e) => {
      const options = [...results.querySelectorAll("li[data-id]")];
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        active = Math.max(0, Math.min(options.length - 1, active + (e.key === "ArrowDown" ? 1 : -1)));
        options.forEach((o, i) => o.classList.toggle("active", i === active));
      } else if (e.key === "Enter" && options.length && !results.hidden) {
        e.preventDefault();
        pick(options[Math.max(0, active)].dataset.id);
      } else if (e.key === "Escape") results.hidden = true;
    });
    const box = el("div", { class: "organ-picker" }, input, results, chosenName);
    const node = el("div", { class: "item-input" }, box);
    register(path, node);
    return { el: node, input,
      get: () => (committed.trim() === "" ? undefined : committed),
      set: (v) => { input.value = committed = v == null ? "" : String(v); describe(); } };
  }

  async function refreshOrganCard() {
    const card = document.getElementById("organ-card");
    if (!card || !S.root) return;
    const issuer = S.root.children.issuer.get();
    const id = typeof issuer === "string" ? issuer.trim() : issuer && issuer.id;
    const date = S.root.children.date ? S.root.children.date.get() || "" : "";
    if (!id || !S.boot.organs.some((o) => o.id === id)) { card.hidden = true; return; }
    const seq = S.cardSeq = (S.cardSeq || 0) + 1;
    const info = await api("GET", "/api/organ?id=" + encodeURIComponent(id) + "&date=" + encodeURIComponent(date));
    if (seq !== S.cardSeq) return;  // a newer question is on its way
    if (!info.found) { card.hidden = true; return; }
    const line = (name, value) => value ? el("div", { class: "card-row" }, el("span", { class: "card-key", text: t(name) }), el("span", { text: value })) : null;
    card.replaceChildren(...[
      el("div", { class: "card-title", text: t("organ_from_registry") }),
      el("div", { class: "card-header" }, info.header.map((h) => el("div", { text: h.toUpperCase() })), el("div", { text: "*" })),
      line("organ_symbol", info.symbol), line("organ_place", info.place), line("organ_signature", info.signature),
      line("organ_archive", info.archive),
      info.recipients.length ? el("div", { class: "card-row" }, el("span", { class: "card-key", text: t("organ_recipients") }),
        el("ul", {}, info.recipients.map((r) => el("li", { text: r })))) : null,
      info.problem ? el("div", { class: "card-warning", role: "alert", text: "⚠ " + info.problem }) : null,
      info.from || info.until ? el("div", { class: "card-dates", text: t("organ_dates", { since: info.from || "…", until: info.until || t("organ_now") }) }) : null,
    ].filter(Boolean));
    card.hidden = false;
  }

  // ------------------------------------------------------------------ the form

  function buildForm() {
    const schema = S.boot.schema;
    const properties = schema.properties;
    const placed = new Set(S.boot.groups.flatMap((g) => g.keys));
    const children = {};
    const pane = document.getElementById("pane-form");
    pane.replaceChildren();
    for (const group of S.boot.groups) {
      const keys = group.id === "other" ? Object.keys(properties).filter((k) => !placed.has(k)) : group.keys.filter((k) => k in properties);
      if (!keys.length) continue;
      const section = el("section", { class: "group group-" + group.id }, el("h2", { text: group.title }));
      const grid = el("div", { class: "grid" });
      for (const key of keys) {
        const child = make(properties[key], [key], key);
        children[key] = child;
        grid.append(child.el);
      }
      if (group.id === "body") section.append(markupHelp());
      section.append(grid);
      pane.append(section);
    }
    S.root = {
      children,
      get: () => {
        const out = {};
        for (const [name, child] of Object.entries(children)) { const v = child.get(); if (v !== undefined) out[name] = v; }
        return out;
      },
      set: (v) => {
        if (children.body_template) children.body_template.set((v || {}).body_template);
        for (const [name, child] of Object.entries(children)) child.set((v || {})[name]);
        refreshBlockHint();
        refreshOrganCard();
      },
    };
    // The body text area and the markup help sit side by side.
    const body = S.fields["body"];
    if (body) body.node.classList.add("with-help");
    refreshBlockHint();
  }

  function markupHelp() {
    return el("details", { class: "markup-help", open: true },
      el("summary", { text: t("markup_title") }),
      el("div", { class: "markup-grid" }, S.boot.markup.map((m) => el("div", { class: "markup-item" }, el("code", { text: m.write }), el("span", { text: m.get })))),
      el("p", { class: "hint", text: S.boot.markup_note }));
  }

  // ------------------------------------------------------------------ talking to the server

  async function sendValues() {
    clearTimeout(S.timer);
    const seq = ++S.sentSeq;
    const answer = await api("POST", "/api/spec", { session: S.session, values: S.root.get() });
    if (seq !== S.sentSeq) return answer;  // a newer edit is on its way
    received(answer, false);
    return answer;
  }

  async function sendYaml() {
    clearTimeout(S.yamlTimer);
    const seq = ++S.sentSeq;
    const answer = await api("POST", "/api/yaml", { session: S.session, yaml: document.getElementById("yaml").value });
    if (seq !== S.sentSeq) return answer;
    received(answer, true);
    return answer;
  }

  function received(answer, fromYaml) {
    S.lastAnswer = answer;
    if (answer.error) { showProblems([{ path: [], message: answer.error, severity: "error" }]); return; }
    if (answer.rev) S.rev = answer.rev;
    const yaml = document.getElementById("yaml");
    if (answer.yaml !== null && answer.yaml !== undefined && document.activeElement !== yaml) yaml.value = answer.yaml;
    if (fromYaml && answer.values) S.root.set(answer.values);
    showProblems((answer.problems || []).concat(answer.warnings || []));
    if (answer.preview) { S.goodRev = answer.rev; updateDownloads(); pollPreview(answer.rev); }
    else if (answer.rev) setStatus(answer.problems && answer.problems.length ? t("preview_stale") : "", "stale");
  }

  function showProblems(problems) {
    for (const field of Object.values(S.fields)) { field.message.replaceChildren(); field.node.classList.remove("invalid", "warned"); }
    const box = document.getElementById("problems");
    const general = [];
    for (const p of problems) {
      let path = p.path || [];
      let target = null;
      while (true) {
        target = S.fields[pathKey(path)];
        if (target || !path.length) break;
        path = path.slice(0, -1);
      }
      const where = p.line ? " (" + t("line", { line: p.line }) + ")" : "";
      if (target && (p.path || []).length) {
        target.node.classList.add(p.severity === "warning" ? "warned" : "invalid");
        target.message.append(el("div", { class: p.severity === "warning" ? "warning" : "error", text: p.message }));
        if (target.node.tagName === "DETAILS") target.node.open = true;
      } else general.push(el("li", { class: p.severity === "warning" ? "warning" : "error", text: (p.key ? p.key + ": " : "") + p.message + where }));
    }
    const errors = problems.filter((p) => p.severity !== "warning").length;
    box.hidden = problems.length === 0;
    box.replaceChildren(...[
      el("div", { class: "problems-head" }, el("strong", { text: t("problems_title") }), el("span", { class: "badge", text: t("problems_count", { count: errors }) })),
      general.length ? el("ul", {}, general) : null,
      el("ul", { class: "problem-list" }, problems.filter((p) => (p.path || []).length).map((p) => el("li", { class: p.severity === "warning" ? "warning" : "error" },
        el("a", { href: "#", text: p.key, onclick: (e) => { e.preventDefault(); jumpTo(p.path); } }), ": " + p.message)))].filter(Boolean));
    if (errors === 0 && problems.length === 0) box.hidden = true;
  }

  function jumpTo(path) {
    let p = path.slice();
    while (p.length && !S.fields[pathKey(p)]) p = p.slice(0, -1);
    const field = S.fields[pathKey(p)];
    if (!field) return;
    showPane("pane-form");
    field.node.scrollIntoView({ block: "center" });
    focusIn(field.node);
  }

  function setStatus(text, kind) {
    const status = document.getElementById("preview-status");
    status.textContent = text;
    status.className = "status " + (kind || "");
  }

  async function pollPreview(rev) {
    setStatus(t("preview_updating"), "busy");
    document.getElementById("pages").classList.add("updating");
    S.previewState = "pending";
    const answer = await api("GET", "/api/preview?session=" + S.session + "&rev=" + rev + "&wait=1");
    if (rev !== S.goodRev) return;  // a newer revision took over
    if (answer.state === "pending") return pollPreview(rev);
    document.getElementById("pages").classList.remove("updating");
    if (answer.state === "done") {
      await showPages(answer.pages);
      S.shownRev = rev;
      S.previewState = "done";
      showFindings(answer.findings);
      setStatus(t("preview_ready", { pages: answer.pages.length, seconds: answer.seconds.toFixed(1) }), "ok");
    } else if (answer.state === "error") {
      S.previewState = "error";
      setStatus(t("preview_error") + " " + answer.message, "error");
    }
  }

  // The new pages replace the old ones only once every image has loaded: the old pages stay in view meanwhile.
  function showPages(urls) {
    return Promise.all(urls.map((url) => new Promise((resolve) => {
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = () => resolve(image);
      image.src = url;
    }))).then((images) => {
      const pages = document.getElementById("pages");
      pages.replaceChildren(...images.map((image, i) => {
        image.alt = "page " + (i + 1);
        image.className = "page";
        return el("figure", { class: "page-frame" }, image, el("figcaption", { text: String(i + 1) }));
      }));
    });
  }

  function showFindings(findings) {
    const list = document.getElementById("findings");
    list.replaceChildren(...(findings.length ? findings.map((f) => el("li", { class: f.severity },
      el("code", { class: "rule", text: f.rule }), el("span", { class: "sev", text: t(f.severity === "error" ? "error" : "warning") }),
      el("div", { text: f.message }), f.excerpt ? el("div", { class: "excerpt", text: "“" + f.excerpt + "”" }) : null,
      el("div", { class: "citation", text: f.citation })))
      : [el("li", { class: "ok", text: t("check_ok") })]));
  }

  function updateDownloads() {
    const base = "/files/" + S.session + "/" + S.goodRev + "/";
    for (const [id, name] of [["dl-docx", "document.docx"], ["dl-pdf", "document.pdf"], ["dl-yaml", "spec.yaml"]]) {
      const link = document.getElementById(id);
      link.href = base + name;
      link.setAttribute("download", "");
      link.classList.remove("disabled");
      link.removeAttribute("aria-disabled");
    }
  }

  // ------------------------------------------------------------------ start pane: open, init, cascade

  function buildStartPane() {
    const pane = document.getElementById("pane-start");
    const output = el("div", { class: "start-output", role: "status" });
    const yamlInput = el("input", { type: "file", accept: ".yaml,.yml", id: "open-yaml" });
    yamlInput.addEventListener("change", async () => {
      const file = yamlInput.files[0];
      if (!file) return;
      document.getElementById("yaml").value = await file.text();
      await sendYaml();
      showPane("pane-form");
    });
    const parentInput = el("input", { type: "file", accept: ".docx,.txt,.yaml,.yml", id: "parent-file" });
    const initButton = el("button", { type: "button", class: "btn primary", text: t("init_button"), onclick: async () => {
      const file = parentInput.files[0];
      const issuer = S.root.children.issuer.get();
      const id = typeof issuer === "string" ? issuer : issuer && issuer.id;
      if (!file) return;
      output.textContent = t("working");
      const date = S.root.children.date.get() || "";
      const answer = await api("POST", "/api/init?session=" + S.session + "&issuer=" + encodeURIComponent(id || "") +
        "&date=" + encodeURIComponent(date) + "&name=" + encodeURIComponent(file.name), null, await file.arrayBuffer());
      afterChild(answer, output);
    } });
    const cascadeInput = el("input", { class: "input organ-cascade", type: "text", placeholder: t("organ_search"), list: "organ-ids" });
    const organIds = el("datalist", { id: "organ-ids" }, S.boot.organs.map((o) => el("option", { value: o.id, text: o.name })));
    const cascadeButton = el("button", { type: "button", class: "btn primary", text: t("cascade_button"), onclick: async () => {
      output.textContent = t("working");
      const answer = await api("POST", "/api/cascade", { session: S.session, rev: S.goodRev || S.rev, to: cascadeInput.value.trim(),
        date: (S.root.children.date.get() || "") });
      afterChild(answer, output);
    } });
    pane.replaceChildren(
      el("section", { class: "group" }, el("h2", { text: t("new") }),
        el("button", { type: "button", class: "btn", text: t("new"), onclick: () => { S.root.set({}); document.getElementById("yaml").value = ""; showPane("pane-form"); } }),
        el("h3", { text: t("open_yaml") }), yamlInput),
      el("section", { class: "group" }, el("h2", { text: t("init_title") }), el("p", { class: "hint", text: t("init_help") }), parentInput, initButton),
      el("section", { class: "group" }, el("h2", { text: t("cascade_title") }), el("p", { class: "hint", text: t("cascade_help") }), organIds, cascadeInput, cascadeButton),
      output);
  }

  function afterChild(answer, output) {
    if (answer.error) { output.replaceChildren(el("pre", { class: "error", text: answer.error })); return; }
    output.textContent = "";
    document.getElementById("yaml").value = answer.yaml;
    received(answer, true);
    showPane("pane-form");
  }

  function showPane(id) {
    for (const button of document.querySelectorAll(".tabs button")) button.classList.toggle("active", button.dataset.pane === id);
    for (const pane of document.querySelectorAll(".pane")) pane.hidden = pane.id !== id;
  }

  // ------------------------------------------------------------------ start

  async function start() {
    S.boot = await api("GET", "/api/bootstrap");
    document.documentElement.lang = S.boot.lang;
    document.getElementById("title").textContent = t("title");
    document.getElementById("subtitle").textContent = t("subtitle");
    document.getElementById("tab-form").textContent = t("tab_form");
    document.getElementById("tab-yaml").textContent = t("tab_yaml");
    document.getElementById("tab-start").textContent = t("open_title");
    document.getElementById("yaml-note").textContent = t("yaml_note");
    document.getElementById("preview-title").textContent = t("preview");
    document.getElementById("check-title").textContent = t("check_title");
    document.getElementById("dl-docx").textContent = t("download_docx");
    document.getElementById("dl-pdf").textContent = t("download_pdf");
    document.getElementById("dl-yaml").textContent = t("download_yaml");
    document.getElementById("pages").replaceChildren(el("p", { class: "empty", text: t("preview_empty") }));
    for (const button of document.querySelectorAll(".tabs button")) button.addEventListener("click", () => showPane(button.dataset.pane));
    const yaml = document.getElementById("yaml");
    yaml.addEventListener("input", () => { clearTimeout(S.yamlTimer); S.yamlTimer = setTimeout(sendYaml, DEBOUNCE_MS + 250); });
    buildForm();
    buildStartPane();
    S.session = (await api("POST", "/api/session", {})).session;
    if (S.boot.initial && S.boot.initial.yaml) { yaml.value = S.boot.initial.yaml; await sendYaml(); }
    document.body.classList.add("ready");
  }

  // For tests and scripts: the page's model, as the widgets hold it.
  window.gdEditor = {
    fill: (values) => { S.root.set(values); return sendValues(); },
    values: () => S.root.get(),
    send: () => sendValues(),
    state: () => ({ session: S.session, rev: S.rev, goodRev: S.goodRev, shownRev: S.shownRev, preview: S.previewState,
      pages: [...document.querySelectorAll("#pages img")].map((i) => i.getAttribute("src")) }),
    answer: () => S.lastAnswer,
  };

  start().catch((error) => showFatal(String(error)));
})();
