// A readable page from /openapi.json, served by the server itself (no third-party scripts on this origin).
"use strict";

(function () {
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    return node;
  }

  function curl(method, path, op) {
    const base = window.location.origin;
    const auth = path.startsWith("/v1") ? ' -H "Authorization: Bearer $ILRKIT_TOKEN"' : "";
    if (op.requestBody) {
      const file = path.endsWith("batch") ? "workbooks.zip" : "workbook.xlsx";
      return "curl -fsS" + auth + " -F file=@" + file + " " + base + path + (path.endsWith("validate") ? "" : " -OJ");
    }
    return "curl -fsS" + auth + " " + base + path;
  }

  fetch("/openapi.json").then((r) => r.json()).then((spec) => {
    const main = document.getElementById("api");
    main.replaceChildren();
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const section = el("section", { class: "endpoint" });
        section.append(el("h2", {}, el("span", { class: "method" }, method.toUpperCase()), " " + path));
        if (op.summary) section.append(el("p", {}, el("strong", {}, op.summary)));
        if (op.description) section.append(el("p", {}, op.description));
        const params = op.parameters || [];
        if (params.length) {
          const list = el("ul");
          for (const p of params) {
            list.append(el("li", {}, el("code", {}, p.name), " (" + p.in + (p.required ? ", required" : "") + ")" +
              (p.description ? ": " + p.description : "")));
          }
          section.append(el("h3", {}, "Parameters"), list);
        }
        if (op.requestBody) {
          section.append(el("h3", {}, "Upload"),
            el("p", {}, "Send the file as a form field named file (" +
              Object.keys(op.requestBody.content).join(", ") + ")."));
        }
        const answers = el("ul");
        for (const [code, r] of Object.entries(op.responses || {})) {
          const types = r.content ? " [" + Object.keys(r.content).join(", ") + "]" : "";
          answers.append(el("li", {}, code + ": " + (r.description || "") + types));
        }
        section.append(el("h3", {}, "Answers"), answers);
        section.append(el("h3", {}, "Example"), el("pre", {}, curl(method, path, op)));
        main.append(section);
      }
    }
  }).catch(() => {
    document.getElementById("api").textContent = "The API description could not be loaded.";
  });
})();
