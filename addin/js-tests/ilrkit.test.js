// The add-in's browser script (static/ilrkit.js) driven against a mock Excel (fake-excel.js, on office-addin-mock),
// with the server's real answers (server-answers.json, made by tests/addin/js_fixture.py). Run: npm test
"use strict";

const assert = require("node:assert/strict");
const path = require("node:path");
const { test } = require("node:test");
const { FakeExcel } = require("./fake-excel.js");

const FIXTURE = require("./server-answers.json");
const RED = "#FF9999";
const NOTE_MARKER = "ILR check (ilrkit)";
const ERRORS_SHEET = "ILR errors";
const MARKS_SHEET = "_ilrkit_marks";

function scenario(name) {
  const found = FIXTURE.scenarios.find((s) => s.name === name);
  assert.ok(found, `no scenario '${name}' in server-answers.json`);
  return { ...found, payload: FIXTURE.payloads[found.payload] };
}

/** A page's elements, by id, as the script uses them. */
function fakeDocument(ids) {
  const elements = {};
  for (const id of ids) { elements[id] = { id, textContent: "", value: "", style: {}, onclick: null, files: null }; }
  const clicked = [];
  return {
    elements,
    clicked,
    getElementById: (id) => elements[id] || null,
    createElement: () => ({ click() { clicked.push(this.download); }, remove() {} }),
    body: { appendChild() {} },
  };
}

const TASKPANE_IDS = ["token", "btn-validate", "btn-clear", "btn-export", "xml-file", "btn-import", "btn-new-template",
  "question", "question-text", "question-yes", "question-no", "status"];

/**
 * Install the globals the script reads (Office, Excel, document, window, localStorage, fetch) for one test.
 * `answers`: what the server answers, in order: {status, body} or a JSON body (status 200), or an Error to throw.
 */
function setup(payload, answers = [], { page = "taskpane.html", ids = TASKPANE_IDS, search = "", hash = "", ...options } = {}) {
  const fake = new FakeExcel(payload, options);
  const requests = [];
  const storage = new Map();
  const doc = fakeDocument(ids);
  Object.assign(globalThis, {
    Office: fake.Office,
    Excel: fake.Excel,
    document: doc,
    window: { location: { href: `https://ilr.example.org/xlwings/${page}${search}${hash}`, search, hash } },
    localStorage: { getItem: (k) => (storage.has(k) ? storage.get(k) : null), setItem: (k, v) => storage.set(k, v) },
    fetch: async (url, init) => {
      requests.push({ url, headers: init.headers, body: JSON.parse(init.body) });
      const next = answers.shift();
      if (next instanceof Error) { throw next; }
      const { status = 200, body = next, text } = next && next.status !== undefined ? next : { body: next };
      return { status, json: async () => { if (text !== undefined) { throw new SyntaxError("not JSON"); } return body; } };
    },
  });
  return { fake, requests, doc, storage, status: () => doc.elements.status && doc.elements.status.textContent };
}

// The script registers itself with Office.onReady when loaded, as in the browser.
setup(FIXTURE.payloads.fresh);
require(path.join(__dirname, "..", "static", "ilrkit.js"));
const addin = globalThis.ilrkitAddin;

function withoutDollars(address) { return address.replace(/\$/g, ""); }

/** The payload, compared as the server reads it: names, visibility, values, note cells. */
function comparable(payload) {
  return payload.sheets.map((s) => ({
    name: s.name,
    visibility: s.visibility,
    values: s.values,
    notes: (s.notes || []).map((n) => withoutDollars(n.address)).sort(),
  }));
}

function actionNames() {
  return new Set(FIXTURE.scenarios.flatMap((s) => (s.answer.actions || []).map((a) => a.func)));
}

test("every action the server sends has a handler, and every handler applies some server answer", () => {
  const handlers = new Set(Object.keys(addin.HANDLERS));
  for (const func of actionNames()) { assert.ok(handlers.has(func), `no handler for the server's '${func}'`); }
  for (const func of handlers) { assert.ok(actionNames().has(func), `handler '${func}' is not covered by server-answers.json`); }
});

test("the mock refuses what Office.js refuses: a read before load and sync", async () => {
  const { fake } = setup(FIXTURE.payloads.fresh);
  await fake.Excel.run(async (context) => {
    assert.notEqual(context.workbook.name, "ilr.xlsx"); // office-addin-mock: not loaded yet
    assert.throws(() => context.workbook.worksheets.items, /PropertyNotLoaded/);
    assert.equal(typeof context.workbook.worksheets.getItemAt, "undefined");
    context.workbook.load("name");
    await context.sync();
    assert.equal(context.workbook.name, "ilr.xlsx");
  });
});

test("the workbook is sent as the server's own payload", async () => {
  for (const key of ["fresh", "validated"]) {
    const payload = FIXTURE.payloads[key];
    const { requests } = setup(payload, [{ ok: true, message: "", actions: [] }]);
    await addin.runScript("clear");
    const sent = requests[0].body.book;
    assert.deepEqual(comparable(sent), comparable(payload), key);
    assert.equal(sent.client, "Office.js");
    assert.equal(sent.book.name, payload.book.name);
    assert.ok(sent.sheets.every((s) => s.notes_supported === true));
  }
});

test("Excel without notes (before ExcelApi 1.18) says so in the payload", async () => {
  const { requests } = setup(FIXTURE.payloads.validated, [{ ok: true, message: "", actions: [] }], { notesSupported: false });
  await addin.runScript("clear");
  assert.ok(requests[0].body.book.sheets.every((s) => s.notes_supported === false && s.notes.length === 0));
});

test("validate colours the cells, adds notes and the errors sheet, hides the record sheet", async () => {
  const run = scenario("validate");
  const { fake, requests, status } = setup(run.payload, [run.answer]);
  await addin.runScript("validate");
  assert.equal(status(), run.answer.message);
  assert.equal(requests[0].url, "https://ilr.example.org/xlwings/validate");
  const names = fake.names();
  assert.equal(names[0], ERRORS_SHEET);
  assert.equal(names[names.length - 1], MARKS_SHEET);
  assert.equal(fake.sheet(MARKS_SHEET).visibility, "Hidden");
  assert.equal(fake.active.name, ERRORS_SHEET);
  const learners = fake.sheet("Learners");
  for (const cell of ["F2", "F4"]) { // the bad ULNs
    assert.equal(learners.at(cell).fill, RED, cell);
    assert.ok(learners.notes.get(cell).startsWith(NOTE_MARKER), cell);
  }
  assert.equal(learners.at("F3").fill, null);
  const errors = fake.sheet(ERRORS_SHEET);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((c) => errors.peek(0, c).value), ["Severity", "Rule", "Learner", "Aim", "Cell", "Message"]);
  assert.equal(errors.at("A1").font.bold, true);
  assert.ok(errors.widths[5] > errors.widths[0]);
  const links = [...errors.cells.values()].filter((c) => c.formula && c.formula.startsWith("=HYPERLINK("));
  assert.ok(links.some((c) => c.value === "Learners!F2"));
  // Applied, the answer leaves the workbook as the server expects to find it next time
  const { requests: again } = setup(FIXTURE.payloads.fresh, [run.answer, { ok: true, message: "", actions: [] }]);
  await addin.runScript("validate");
  await addin.runScript("clear");
  assert.deepEqual(comparable(again[1].body.book).map((s) => s.name), comparable(FIXTURE.payloads.validated).map((s) => s.name));
  assert.deepEqual(comparable(again[1].body.book), comparable(FIXTURE.payloads.validated));
});

test("validate again replaces ilrkit's sheets and notes instead of adding more", async () => {
  const run = scenario("validate again");
  const { fake, status } = setup(run.payload, [run.answer]);
  await addin.runScript("validate");
  assert.equal(status(), run.answer.message);
  assert.equal(fake.names().filter((n) => n === ERRORS_SHEET).length, 1);
  assert.equal(fake.names().filter((n) => n === MARKS_SHEET).length, 1);
  assert.equal(fake.sheets.length, run.payload.sheets.length);
  assert.ok(fake.sheet("Learners").notes.get("F2").startsWith(NOTE_MARKER));
  assert.equal(fake.sheet("Learners").at("F2").fill, RED);
});

test("clear removes ilrkit's colours, notes and sheets and keeps the user's", async () => {
  const run = scenario("clear");
  const payload = structuredClone(run.payload);
  payload.sheets.find((s) => s.name === "Learners").notes.push({ address: "$G$2" });
  const { fake, status } = setup(payload, [run.answer]);
  fake.sheet("Learners").cell(2, 0).fill = "#00FF00"; // the user's own colour on A3
  await addin.runScript("clear");
  assert.equal(status(), run.answer.message);
  assert.deepEqual(fake.names(), run.payload.sheets.map((s) => s.name).filter((n) => n !== ERRORS_SHEET && n !== MARKS_SHEET));
  const learners = fake.sheet("Learners");
  assert.equal(learners.at("F2").fill, null);
  assert.equal(learners.at("A3").fill, "#00FF00");
  const before = payload.sheets.find((s) => s.name === "Learners").notes.map((n) => withoutDollars(n.address));
  const at = FIXTURE.payloads.fresh.sheets.findIndex((s) => s.name === "Learners");
  const ours = scenario("validate").answer.actions
    .filter((a) => a.func === "addNote" && a.sheet_position === at).map((a) => withoutDollars(a.args[0]));
  assert.ok(ours.includes("F2") && ours.every((a) => before.includes(a)));
  assert.deepEqual([...learners.notes.keys()].sort(), before.filter((a) => !ours.includes(a)).sort());
  assert.ok(learners.notes.has("G2"));
});

test("clear with nothing to clear changes nothing", async () => {
  const run = scenario("clear, nothing to clear");
  const { fake, status } = setup(run.payload, [run.answer]);
  const before = JSON.stringify(fake.sheets.map((s) => [s.name, s.grid()]));
  await addin.runScript("clear");
  assert.equal(status(), run.answer.message);
  assert.equal(JSON.stringify(fake.sheets.map((s) => [s.name, s.grid()])), before);
});

test("import writes the file's learners over the old rows", async () => {
  const run = scenario("import");
  const { fake, status, doc, requests } = setup(run.payload, [run.answer]);
  doc.elements["xml-file"].files = [{ name: "ILR.xml" }];
  globalThis.FileReader = class {
    readAsDataURL() { this.result = "data:text/xml;base64,PElMUj4="; this.onload(); }
  };
  await addin.runAction("import");
  assert.equal(requests[0].body.xml_name, "ILR.xml");
  assert.equal(requests[0].body.xml_base64, "PElMUj4=");
  assert.equal(status(), run.answer.message);
  const learners = fake.sheet("Learners").grid();
  assert.deepEqual(learners.slice(1).map((row) => row[0]), ["L1", "L2", "L3", "L4"]);
  assert.equal(fake.sheet(ERRORS_SHEET), undefined);
  assert.equal(fake.sheet("Learners").at("F2").fill, null);
});

test("import without a chosen file says what to do and sends nothing", async () => {
  const { requests, status } = setup(FIXTURE.payloads.fresh, []);
  await addin.runAction("import");
  assert.equal(requests.length, 0);
  assert.match(status(), /Choose the ILR XML file first/);
});

test("a question is asked in the pane; yes sends again with confirmed, no changes nothing", async () => {
  const run = scenario("export asks");
  const made = { ok: true, message: "Made ILR.xml with 16 errors.", actions: [],
    download: { filename: "ILR-10000001.xml", content_base64: "PElMUi8+" } };
  let { requests, status, doc } = setup(run.payload, [run.answer, made]);
  let done = addin.runScript("export");
  await waitFor(() => doc.elements.question.style.display === "block");
  assert.equal(doc.elements["question-text"].textContent, run.answer.question);
  doc.elements["question-yes"].onclick();
  await done;
  assert.equal(requests.length, 2);
  assert.equal(requests[1].body.confirmed, true);
  assert.deepEqual(doc.clicked, ["ILR-10000001.xml"]);
  assert.equal(status(), made.message);

  ({ requests, status, doc } = setup(run.payload, [run.answer]));
  done = addin.runScript("export");
  await waitFor(() => doc.elements.question.style.display === "block");
  doc.elements["question-no"].onclick();
  await done;
  assert.equal(requests.length, 1);
  assert.equal(status(), "Nothing was changed.");
});

test("import asks before replacing learners", async () => {
  const run = scenario("import asks");
  const { fake, doc } = setup(run.payload, [run.answer]);
  const done = addin.runScript("import", { xml_base64: "PElMUj4=", xml_name: "ILR.xml" });
  await waitFor(() => doc.elements.question.style.display === "block");
  assert.match(doc.elements["question-text"].textContent, /Replace it\?/);
  doc.elements["question-no"].onclick();
  await done;
  assert.deepEqual(fake.names(), run.payload.sheets.map((s) => s.name));
});

test("new template opens the server's workbook in Excel", async () => {
  const run = scenario("new template");
  const answer = { ...run.answer, download: { filename: "ILR workbook.xlsx", content_base64: "UEsDBA==" } };
  const { fake, status } = setup(run.payload, [answer]);
  await addin.runScript("new-template");
  assert.deepEqual(fake.created, ["UEsDBA=="]);
  assert.equal(status(), run.answer.message);
});

test("the access token is sent and kept; without it the pane says what to do", async () => {
  let { requests, status, doc, storage } = setup(FIXTURE.payloads.fresh, [{ status: 401, body: { detail: "no" } }]);
  await addin.runScript("validate");
  assert.equal(status(), addin.TOKEN_NEEDED);
  assert.equal(requests[0].headers.Authorization, undefined);

  ({ requests, status, doc, storage } = setup(FIXTURE.payloads.fresh, [{ ok: true, message: "fine", actions: [] }]));
  doc.elements.token.value = " s3cret ";
  await addin.runScript("clear");
  assert.equal(requests[0].headers.Authorization, "Bearer s3cret");
  assert.equal(storage.get("ilrkit-token"), "s3cret");
});

test("an action the script does not know is reported, not ignored", async () => {
  const { status } = setup(FIXTURE.payloads.fresh, [{ ok: true, message: "", actions: [{ func: "rangeMerge", args: [] }] }]);
  await addin.runScript("validate");
  assert.equal(status(), "Sorry: ilrkit cannot apply 'rangeMerge' yet");
});

test("the task pane wires its buttons and runs the button it was opened for", async () => {
  const run = scenario("export asks");
  const { fake, doc, requests } = setup(run.payload, [run.answer], { search: "?action=export" });
  fake.ready = null;
  addin.start();
  assert.equal(typeof doc.elements["btn-validate"].onclick, "function");
  await waitFor(() => doc.elements.question.style.display === "block");
  assert.equal(requests[0].url, "https://ilr.example.org/xlwings/export");
});

// -- ribbon buttons (commands.html): the outcome is shown in a dialog --------------------------------------

/** Run a ribbon button as Office does, press OK in its dialog, and resolve with the dialog's text. */
async function pressRibbon(fake, name) {
  let completed = false;
  const running = fake.associated[name]({ completed: () => { completed = true; } });
  await waitFor(() => fake.dialogs.length > 0);
  assert.equal(completed, false, "the button must stay busy until its outcome is shown");
  assert.equal(fake.dialogs[0].duringRun, false, "no workbook request may wait on the user");
  const url = new URL(fake.dialogs[0].url);
  assert.equal(url.origin + url.pathname, "https://ilr.example.org/xlwings/message.html");
  fake.pressOk();
  await running;
  assert.equal(completed, true);
  assert.equal(fake.dialogs[0].closed, true);
  return decodeURIComponent(url.hash.slice(1));
}

function ribbonSetup(answers) {
  const env = setup(FIXTURE.payloads.fresh, answers, { page: "commands.html", ids: [] });
  addin.start();
  return env;
}

test("Office runs the two ribbon functions the manifest names", () => {
  const { fake } = ribbonSetup([]);
  assert.deepEqual(Object.keys(fake.associated).sort(), Object.keys(addin.RIBBON_FUNCTIONS).sort());
});

test("ribbon Validate shows its outcome in a dialog and applies the answer", async () => {
  const run = scenario("validate");
  const { fake, requests } = ribbonSetup([run.answer]);
  assert.equal(await pressRibbon(fake, "ilrkitValidate"), run.answer.message);
  assert.equal(requests[0].url, "https://ilr.example.org/xlwings/validate");
  assert.equal(fake.names()[0], ERRORS_SHEET);
});

test("ribbon Clear shows its outcome in a dialog", async () => {
  const run = scenario("clear, nothing to clear");
  const { fake, requests } = ribbonSetup([run.answer]);
  assert.equal(await pressRibbon(fake, "ilrkitClear"), run.answer.message);
  assert.equal(requests[0].url, "https://ilr.example.org/xlwings/clear");
});

test("ribbon buttons say when the token is missing, and show server errors", async () => {
  let { fake } = ribbonSetup([{ status: 401, body: {} }]);
  assert.equal(await pressRibbon(fake, "ilrkitValidate"), addin.TOKEN_NEEDED);

  const refused = { ok: false, actions: [], message: "Sorry, that did not work (KeyError). Try again." };
  ({ fake } = ribbonSetup([{ status: 500, body: refused }]));
  assert.equal(await pressRibbon(fake, "ilrkitClear"), refused.message);

  ({ fake } = ribbonSetup([{ status: 502, text: "<html>Bad gateway</html>" }]));
  assert.match(await pressRibbon(fake, "ilrkitValidate"), /did not answer properly \(HTTP 502\)/);

  ({ fake } = ribbonSetup([new TypeError("Failed to fetch")]));
  assert.equal(await pressRibbon(fake, "ilrkitValidate"), "Sorry: Failed to fetch");
});

test("the dialog page shows the text and closes on OK", () => {
  const { fake, doc } = setup(FIXTURE.payloads.fresh, [], {
    page: "message.html", ids: ["message", "message-ok"], hash: "#" + encodeURIComponent("3 errors in 2 learners"),
  });
  addin.start();
  assert.equal(doc.elements.message.textContent, "3 errors in 2 learners");
  doc.elements["message-ok"].onclick();
  assert.equal(fake.messagedParent, "close");
});

async function waitFor(condition, what = "condition") {
  for (let i = 0; i < 200; i++) {
    if (condition()) { return; }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}
