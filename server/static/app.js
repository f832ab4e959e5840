// The upload page: send one workbook to /v1/convert, show the findings grouped by rule, offer the downloads.
// Plain JavaScript, no build step. Values from the workbook are only ever put in the page as text.
"use strict";

(function () {
  const TOKEN_KEY = "ilrkit.token"; // sessionStorage only: gone when the tab is closed
  const MAX_ROWS = 200; // rows shown per rule; the annotated workbook has them all

  const $ = (id) => document.getElementById(id);
  const tokenInput = $("token");
  const fileInput = $("file");
  const dropZone = $("drop-zone");
  const form = $("upload-form");
  const statusBox = $("status");
  const errorBox = $("error");
  const results = $("results");
  const xmlButton = $("download-xml");
  const annotatedButton = $("download-annotated");

  let authRequired = true;
  let chosen = null; // the File chosen or dropped
  let xmlDownload = null; // {blob, name}

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(text) { statusBox.textContent = text; }

  function showError(text) {
    errorBox.textContent = text;
    errorBox.hidden = false;
    setStatus("");
  }

  function clearError() { errorBox.hidden = true; errorBox.textContent = ""; }

  function authHeaders() {
    const token = tokenInput.value.trim();
    return authRequired && token ? { Authorization: "Bearer " + token } : {};
  }

  // ---------------------------------------------------------------- token: this tab only
  try { tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { /* storage off */ }
  tokenInput.addEventListener("input", () => {
    try { sessionStorage.setItem(TOKEN_KEY, tokenInput.value.trim()); } catch (e) { /* storage off */ }
  });
  $("forget-token").addEventListener("click", () => {
    tokenInput.value = "";
    try { sessionStorage.removeItem(TOKEN_KEY); } catch (e) { /* storage off */ }
    setStatus("The token was forgotten.");
    tokenInput.focus();
  });

  fetch("/healthz", { cache: "no-store" }).then((r) => r.json()).then((info) => {
    authRequired = info.auth !== false;
    if (!authRequired) {
      $("dev-note").hidden = false;
      tokenInput.disabled = true;
    }
  }).catch(() => { /* keep asking for a token */ });

  // ---------------------------------------------------------------- choosing or dropping a file
  function choose(file) {
    chosen = file || null;
    $("chosen").textContent = chosen ? "Chosen: " + chosen.name : "";
    results.hidden = true;
    clearError();
  }

  fileInput.addEventListener("change", () => choose(fileInput.files[0]));
  ["dragenter", "dragover"].forEach((name) => dropZone.addEventListener(name, (event) => {
    event.preventDefault();
    dropZone.classList.add("dragging");
  }));
  ["dragleave", "dragend"].forEach((name) => dropZone.addEventListener(name, () => {
    dropZone.classList.remove("dragging");
  }));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    const files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files.length) return;
    try { fileInput.files = files; } catch (e) { /* older browsers: keep our own reference */ }
    choose(files[0]);
    setStatus(files[0].name + " is ready. Press Check and convert.");
  });

  // ---------------------------------------------------------------- calling the server
  async function errorText(response) {
    try {
      const body = await response.json();
      if (body && body.error) return { message: body.error, body: body };
    } catch (e) { /* not JSON */ }
    if (response.status === 401) return { message: "The server did not accept the token. Check it and try again." };
    return { message: "The server answered " + response.status + ". Try again, or tell your administrator." };
  }

  async function send(path, extra) {
    const data = new FormData();
    data.append("file", chosen, chosen.name);
    for (const [k, v] of Object.entries(extra || {})) data.append(k, v);
    return fetch(path, { method: "POST", body: data, headers: authHeaders(), cache: "no-store" });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    if (!chosen) {
      showError("Choose a workbook first.");
      fileInput.focus();
      return;
    }
    if (authRequired && !tokenInput.value.trim()) {
      showError("Enter your API token first.");
      tokenInput.focus();
      return;
    }
    const serial = $("serial").value.trim();
    if (serial && !/^\d{1,2}$/.test(serial)) {
      showError("The serial number must be a number from 01 to 99, or left blank.");
      $("serial").focus();
      return;
    }
    const button = $("check");
    button.disabled = true;
    results.hidden = true;
    xmlDownload = null;
    setStatus("Checking " + chosen.name + "…");
    let response;
    try {
      response = await send("/v1/convert?report=true", serial ? { serial: serial } : {});
    } catch (e) {
      showError("The server could not be reached. Check your connection and try again.");
      button.disabled = false;
      return;
    }
    try {
      if (response.ok) {
        const parts = await response.formData();
        const reportPart = parts.get("report");
        const report = JSON.parse(typeof reportPart === "string" ? reportPart : await reportPart.text());
        const xml = parts.get("xml");
        const name = response.headers.get("X-ILR-Filename") || (xml && xml.name) || "ilr.xml";
        xmlDownload = { blob: new Blob([await xml.arrayBuffer()], { type: "application/xml" }), name: name };
        showResults(report, name, null);
      } else {
        const problem = await errorText(response);
        if (problem.body && problem.body.report) {
          showResults(problem.body.report, null, problem.message);
        } else {
          showError(problem.message);
        }
      }
    } catch (e) {
      showError("The server's answer could not be read. Try again; if it keeps happening, tell your administrator.");
    } finally {
      button.disabled = false;
    }
  });

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const link = el("a", { href: url, download: name });
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  xmlButton.addEventListener("click", () => {
    if (xmlDownload) {
      download(xmlDownload.blob, xmlDownload.name);
      setStatus("Downloaded " + xmlDownload.name + ".");
    }
  });

  annotatedButton.addEventListener("click", async () => {
    if (!chosen) return;
    clearError();
    annotatedButton.disabled = true;
    setStatus("Marking the problems in a copy of " + chosen.name + "…");
    try {
      const response = await send("/v1/annotate");
      if (!response.ok) {
        showError((await errorText(response)).message);
        return;
      }
      const stem = chosen.name.replace(/\.[^.]+$/, "");
      const blob = await response.blob();
      const name = stem + "-annotated." + (chosen.name.toLowerCase().endsWith(".xlsm") ? "xlsm" : "xlsx");
      download(blob, name);
      setStatus("Downloaded " + name + ". Open it in Excel: problem cells are marked and listed on the 'ILR errors' sheet.");
    } catch (e) {
      showError("The server could not be reached. Check your connection and try again.");
    } finally {
      annotatedButton.disabled = false;
    }
  });

  // ---------------------------------------------------------------- the findings
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function where(f) {
    if (f.sheet && f.row && f.column) return f.sheet + "!" + f.column + f.row;
    if (f.sheet && f.row) return f.sheet + " row " + f.row;
    return f.sheet || "—";
  }

  function groupByRule(findings) {
    const groups = new Map();
    for (const f of findings) {
      if (!groups.has(f.rule)) groups.set(f.rule, []);
      groups.get(f.rule).push(f);
    }
    return groups;
  }

  function showResults(report, xmlName, blockedMessage) {
    const s = report.summary;
    let line = plural(s.errors, "error");
    const inFile = s.errors_in_file || 0; // errors of the header or provider, not of any learner
    if (s.errors && inFile === s.errors) line += " in the file as a whole (not in any learner)";
    else if (s.errors && inFile) line += ": " + (s.errors - inFile) + " in " + plural(s.learners_with_errors, "learner") +
      ", " + inFile + " in the file as a whole";
    else if (s.errors) line += " in " + plural(s.learners_with_errors, "learner");
    line += ", " + plural(s.warnings, "warning") + " (" + plural(s.learners, "learner") + " checked against " +
      plural(s.rules_run, "rule") + ").";
    $("summary").textContent = (report.file ? report.file + ": " : "") + line;

    const note = $("xml-note");
    if (xmlName) {
      note.textContent = s.errors
        ? "The ILR XML file " + xmlName + " is ready, but the agency will not fund learners with errors: fix them and convert again."
        : "The ILR XML file " + xmlName + " is ready to submit.";
      xmlButton.disabled = false;
    } else {
      note.textContent = blockedMessage || "The ILR XML file was not made.";
      xmlButton.disabled = true;
    }
    const isWorkbook = /\.xls[xm]$/i.test(chosen.name);
    annotatedButton.disabled = !isWorkbook;
    annotatedButton.title = isWorkbook ? "" : "Only for workbooks";

    const box = $("findings");
    box.replaceChildren();
    const groups = groupByRule(report.findings);
    if (!groups.size) {
      box.append(el("p", {}, "No problems found."));
    }
    let n = 0;
    for (const [rule, items] of groups) {
      n += 1;
      const first = items[0];
      const kind = first.severity === "error" ? "error" : "warning";
      const headingId = "rule-" + n;
      const section = el("section", { class: "rule", "aria-labelledby": headingId });
      section.append(el("h3", { id: headingId }, rule, el("span", { class: "badge badge-" + kind }, kind),
        " ", el("span", { class: "count" }, "(" + plural(items.length, "place") + ")")));
      section.append(el("p", { class: "rule-message" }, first.message));
      const varied = items.some((f) => f.message !== first.message);
      const table = el("table");
      table.append(el("caption", {}, "Where " + rule + " was found"));
      const head = el("tr", {}, el("th", { scope: "col" }, "Cell"), el("th", { scope: "col" }, "Learner"),
        el("th", { scope: "col" }, "Aim"), el("th", { scope: "col" }, "Field"), el("th", { scope: "col" }, "Value"));
      if (varied) head.append(el("th", { scope: "col" }, "Details"));
      table.append(el("thead", {}, head));
      const body = el("tbody");
      for (const f of items.slice(0, MAX_ROWS)) {
        const row = el("tr", {}, el("td", { class: "cell" }, where(f)), el("td", {}, f.learn_ref || "—"),
          el("td", {}, f.aim_seq || "—"), el("td", {}, f.field || "—"),
          el("td", {}, f.value === null || f.value === undefined ? "(blank)" : f.value));
        if (varied) row.append(el("td", {}, f.message));
        body.append(row);
      }
      table.append(body);
      section.append(table);
      if (items.length > MAX_ROWS) {
        section.append(el("p", { class: "more" }, "and " + (items.length - MAX_ROWS) +
          " more: download the annotated workbook to see them all."));
      }
      box.append(section);
    }
    results.hidden = false;
    setStatus(xmlName ? "Done: " + line : "Checked, but the XML file was not made.");
    $("results-heading").focus();
  }
})();
