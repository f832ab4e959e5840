// ilrkit in Excel on the web and Mac: send the workbook to the ilrkit server as xlwings' JSON payload,
// then apply the actions it answers with (colours, notes, the "ILR errors" sheet, imported rows).
// The server runs the same Python actions as the desktop add-in, on xlwings' remote engine.
// Every Office.js call here is type-checked against @types/office-js (addin/jsconfig.json, `npm test`).
/* global Office, Excel */
"use strict";

/**
 * One change the server asks for, as xlwings' remote engine writes it.
 * @typedef {{func: string, args: any[], values?: any[][], sheet_position: number,
 *            start_row: number, start_column: number, row_count: number, column_count: number}} Action
 */
/**
 * How the outcome reaches the user: the task pane's status line and yes/no box, or a dialog (ribbon).
 * @typedef {{show: function(string): (void|Promise<void>), ask: function(string): Promise<boolean>}} Ui
 */

// Ribbon buttons that run without the task pane; the others open the pane with ?action=<name>.
var RIBBON_FUNCTIONS = { ilrkitValidate: "validate", ilrkitClear: "clear" };
// Task-pane actions, each a script on the server (same names as its routes).
var SCRIPTS = ["validate", "clear", "export", "import", "new-template"];
var TOKEN_NEEDED = "The server needs your access token: open the ILR task pane (Export or Import on the ILR tab), " +
  "type the token your ilrkit administrator gave you, then try again.";

/** @param {string} name */
function scriptUrl(name) {
  // The pages are served by the same router as the scripts, so a relative address reaches them.
  return new URL(name, window.location.href).toString();
}

/** @returns {any[]} an empty list of the payload's parts ilrkit does not read (pictures, charts...) */
function none() { return []; }

/** @param {Excel.RequestContext} context */
async function getBookData(context) {
  var workbook = context.workbook;
  workbook.load("name");
  var sheets = workbook.worksheets;
  sheets.load("items/name,items/visibility");
  var active = sheets.getActiveWorksheet();
  active.load("position");
  await context.sync();
  var used = sheets.items.map(function (sheet) {
    var range = sheet.getUsedRangeOrNullObject(true);
    range.load("address,rowCount,columnCount,rowIndex,columnIndex");
    return range;
  });
  await context.sync();
  // values from A1 to the end of the used range, as xlwings' payload has them
  var grids = used.map(function (range, i) {
    if (range.isNullObject) { return null; }
    var last = sheets.items[i].getCell(range.rowIndex + range.rowCount - 1, range.columnIndex + range.columnCount - 1);
    var all = sheets.items[i].getRange("A1").getBoundingRect(last);
    all.load("values,address");
    return all;
  });
  /** @type {Excel.NoteCollection[]} */
  var notes = [];
  var notesSupported = Office.context.requirements.isSetSupported("ExcelApi", "1.18");
  if (notesSupported) {
    notes = sheets.items.map(function (sheet) { var n = sheet.notes; n.load("items"); return n; });
  }
  await context.sync();
  var locations = notes.map(function (collection) {
    return collection.items.map(function (note) { var r = note.getLocation(); r.load("address"); return r; });
  });
  await context.sync();
  return {
    client: "Office.js",
    version: /** @type {string | null} */ (null),
    book: { name: workbook.name, active_sheet_index: active.position },
    names: none(),
    sheets: sheets.items.map(function (sheet, i) {
      var grid = grids[i];
      return {
        name: sheet.name,
        visibility: sheet.visibility,
        values: grid ? grid.values : [[]],
        used_range_address: grid ? grid.address.split("!").pop() : null,
        notes_supported: notesSupported,
        notes: notesSupported ? locations[i].map(function (r) { return { address: r.address.split("!").pop() }; }) : [],
        pictures: none(), shapes: none(), charts: none(), tables: none(), pivot_tables: none()
      };
    })
  };
}

/**
 * The sheet at a 0-based tab position, counted as the server counts it (hidden sheets included). Office.js has no
 * "sheet at position" call, so the collection is loaded afresh: earlier actions may have added or removed sheets.
 * @param {Excel.RequestContext} context
 * @param {number} position
 * @returns {Promise<Excel.Worksheet>}
 */
async function sheetAt(context, position) {
  var sheets = context.workbook.worksheets;
  sheets.load("items/name");
  await context.sync();
  var sheet = sheets.items[position];
  if (!sheet) { throw new Error("The workbook changed while ilrkit was working (a sheet is missing). Run it again."); }
  return sheet;
}

/**
 * @param {Excel.RequestContext} context
 * @param {Action} action
 */
async function targetRange(context, action) {
  var sheet = await sheetAt(context, action.sheet_position);
  return sheet.getRangeByIndexes(action.start_row, action.start_column, action.row_count, action.column_count);
}

/**
 * The note in a cell ("$F$2"), or null when the cell has none.
 * @param {Excel.RequestContext} context
 * @param {Excel.Worksheet} sheet
 * @param {string} address
 */
async function noteAt(context, sheet, address) {
  var notes = sheet.notes;
  notes.load("items");
  await context.sync();
  var locations = notes.items.map(function (note) { var r = note.getLocation(); r.load("address"); return r; });
  await context.sync();
  var wanted = address.replace(/\$/g, "").toUpperCase();
  for (var i = 0; i < locations.length; i++) {
    if (locations[i].address.split("!").pop().replace(/\$/g, "").toUpperCase() === wanted) { return notes.items[i]; }
  }
  return null;
}

/**
 * One handler per xlwings action the ilrkit scripts emit (tests check the list stays complete).
 * @type {Object<string, function(Excel.RequestContext, Action): Promise<void>>}
 */
var HANDLERS = {
  setValues: async function (context, action) {
    var range = await targetRange(context, action);
    var values = action.values || [[]];
    var hasFormula = values.some(function (row) {
      return row.some(function (v) { return typeof v === "string" && v.charAt(0) === "="; });
    });
    if (hasFormula) { range.formulas = values; } else { range.values = values; }
  },
  rangeClearContents: async function (context, action) {
    (await targetRange(context, action)).clear("Contents");
  },
  setRangeColor: async function (context, action) {
    var range = await targetRange(context, action);
    if (action.args[0]) { range.format.fill.color = action.args[0]; } else { range.format.fill.clear(); }
  },
  addNote: async function (context, action) {
    var sheet = await sheetAt(context, action.sheet_position);
    sheet.notes.add(sheet.getRange(action.args[0]), action.args[1]);
  },
  deleteNote: async function (context, action) {
    var note = await noteAt(context, await sheetAt(context, action.sheet_position), action.args[0]);
    if (note) { note.delete(); }
  },
  addSheet: async function (context, action) {
    var sheet = context.workbook.worksheets.add(action.args[1]);
    sheet.position = action.args[0];
  },
  sheetDelete: async function (context, action) {
    (await sheetAt(context, action.sheet_position)).delete();
  },
  setSheetVisibility: async function (context, action) {
    (await sheetAt(context, action.sheet_position)).visibility = action.args[0];
  },
  activateSheet: async function (context, action) {
    (await sheetAt(context, action.args[0])).activate();
  },
  setFontProperty: async function (context, action) {
    var font = (await targetRange(context, action)).format.font;
    var property = action.args[0];
    var value = action.args[1];
    if (property === "bold") { font.bold = value; }
    else if (property === "italic") { font.italic = value; }
    else if (property === "size") { font.size = value; }
    else if (property === "color") { font.color = value; }
    else if (property === "name") { font.name = value; }
    else { throw new Error("ilrkit cannot set the font's '" + property + "' yet"); }
  },
  setColumnWidth: async function (context, action) {
    // xlwings passes Excel's width in characters; Office.js wants points (about 6 per character)
    (await targetRange(context, action)).format.columnWidth = action.args[0] * 6;
  }
};

/**
 * @param {Excel.RequestContext} context
 * @param {Action[]} actions
 */
async function applyActions(context, actions) {
  for (var i = 0; i < actions.length; i++) {
    var handler = HANDLERS[actions[i].func];
    if (!handler) { throw new Error("ilrkit cannot apply '" + actions[i].func + "' yet"); }
    await handler(context, actions[i]);
    await context.sync(); // in order: a sheet must exist before values are written to it
  }
}

/** @param {string} text */
function show(text) {
  var status = document.getElementById("status");
  if (status) { status.textContent = text; }
}

/** @param {string} question */
function ask(question) {
  // The task pane asks in the page itself: Office add-ins may not use window.confirm.
  return new Promise(function (resolve) {
    var box = document.getElementById("question");
    var text = document.getElementById("question-text");
    var yes = document.getElementById("question-yes");
    var no = document.getElementById("question-no");
    if (!box || !text || !yes || !no) { resolve(false); return; }
    text.textContent = question;
    box.style.display = "block";
    yes.onclick = function () { box.style.display = "none"; resolve(true); };
    no.onclick = function () { box.style.display = "none"; resolve(false); };
  });
}

/** @type {Ui} */
var PANE = { show: show, ask: ask };

/** @param {{filename: string, content_base64: string}} file */
function download(file) {
  var bytes = Uint8Array.from(atob(file.content_base64), function (c) { return c.charCodeAt(0); });
  var link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  link.download = file.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** @returns {Promise<{name: string, base64: string}>} */
function readChosenFile() {
  return new Promise(function (resolve, reject) {
    var input = /** @type {HTMLInputElement | null} */ (document.getElementById("xml-file"));
    var file = input && input.files && input.files[0];
    if (!file) { reject(new Error("Choose the ILR XML file first (above the Import button).")); return; }
    var chosen = file;
    var reader = new FileReader();
    reader.onload = function () { resolve({ name: chosen.name, base64: String(reader.result).split(",").pop() || "" }); };
    reader.onerror = function () { reject(new Error("The file could not be read.")); };
    reader.readAsDataURL(chosen);
  });
}

// The token stays in this browser's storage for the add-in's own web address; it is only ever sent to it.
function savedToken() {
  var field = /** @type {HTMLInputElement | null} */ (document.getElementById("token"));
  if (field && field.value) { localStorage.setItem("ilrkit-token", field.value.trim()); }
  return localStorage.getItem("ilrkit-token") || "";
}

/**
 * The server's answer as JSON, or a plain message when it sent something else (a proxy's error page).
 * @param {Response} response
 */
async function readAnswer(response) {
  try {
    return await response.json();
  } catch (error) {
    return { ok: false, message: "The ilrkit server did not answer properly (HTTP " + response.status + "). Try again, " +
      "or ask your ilrkit administrator to check it is running." };
  }
}

/**
 * Send the workbook to one of the server's scripts and apply its answer, then tell the user (after Excel.run
 * has finished, so that no workbook request waits on them). Resolves with the text shown.
 * @param {string} name
 * @param {Object<string, any>} [extra]
 * @param {Ui} [ui]
 * @returns {Promise<string>}
 */
async function runScript(name, extra, ui) {
  var out = ui || PANE;
  /** @type {string | null} */
  var question = null;
  var said;
  await out.show("Working...");
  try {
    said = await Excel.run(async function (context) {
      var body = Object.assign({ book: await getBookData(context) }, extra || {});
      /** @type {Object<string, string>} */
      var headers = { "Content-Type": "application/json" };
      var token = savedToken();
      if (token) { headers.Authorization = "Bearer " + token; }
      var response = await fetch(scriptUrl(name), { method: "POST", headers: headers, body: JSON.stringify(body) });
      if (response.status === 401) { return TOKEN_NEEDED; }
      var answer = await readAnswer(response);
      await applyActions(context, answer.actions || []);
      if (answer.question) { question = String(answer.question); return ""; }
      if (answer.download && name === "new-template") {
        await Excel.createWorkbook(answer.download.content_base64);
      } else if (answer.download) {
        download(answer.download);
      }
      return String(answer.message || (answer.ok === false ? "Sorry, that did not work." : "Done."));
    });
  } catch (error) {
    said = "Sorry: " + (error instanceof Error ? error.message : String(error));
  }
  if (question !== null) {
    if (await out.ask(question)) { return runScript(name, Object.assign({}, extra, { confirmed: true }), out); }
    said = "Nothing was changed.";
  }
  await out.show(said);
  return said;
}

/** @param {string} name */
async function runAction(name) {
  if (name === "import") {
    try {
      var file = await readChosenFile();
      return runScript("import", { xml_base64: file.base64, xml_name: file.name });
    } catch (error) { show(error instanceof Error ? error.message : String(error)); return ""; }
  }
  return runScript(name);
}

/**
 * Show a ribbon button's outcome in a small dialog (the ribbon has no page of its own). The text travels in the
 * address's #fragment, which browsers never send to a server. Resolves when the user closes the dialog.
 * @param {string} text
 * @returns {Promise<void>}
 */
function showInDialog(text) {
  return new Promise(function (resolve) {
    if (!Office.context.requirements.isSetSupported("DialogApi", "1.1")) { resolve(); return; }
    var url = new URL("message.html", window.location.href).toString() + "#" + encodeURIComponent(text);
    Office.context.ui.displayDialogAsync(url, { height: 30, width: 30, displayInIframe: true }, function (result) {
      if (result.status !== Office.AsyncResultStatus.Succeeded) { resolve(); return; }
      var dialog = result.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, function () { dialog.close(); resolve(); });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, function () { resolve(); });
    });
  });
}

/** @type {Ui} */
var RIBBON = {
  show: function (text) { return text === "Working..." ? undefined : showInDialog(text); },
  // Validate and Clear never ask; should a question come, the task pane is where it can be answered.
  ask: function () { return Promise.resolve(false); }
};

/**
 * A ribbon button that runs without the task pane: run its script, show the outcome, then tell Office it is done.
 * @param {string} name
 * @param {Office.AddinCommands.Event} event
 */
async function runRibbonFunction(name, event) {
  try {
    await runScript(name, undefined, RIBBON);
  } finally {
    event.completed();
  }
}

/** The dialog page (message.html): show the text from the address, and close on OK. */
function startDialog() {
  var text = document.getElementById("message");
  var ok = document.getElementById("message-ok");
  if (text) { text.textContent = decodeURIComponent(window.location.hash.slice(1)); }
  if (ok) { ok.onclick = function () { Office.context.ui.messageParent("close"); }; }
}

function start() {
  if (document.getElementById("message")) { startDialog(); return; }
  var tokenField = /** @type {HTMLInputElement | null} */ (document.getElementById("token"));
  if (tokenField) { tokenField.value = localStorage.getItem("ilrkit-token") || ""; }
  Object.keys(RIBBON_FUNCTIONS).forEach(function (fn) {
    if (Office.actions && Office.actions.associate) {
      Office.actions.associate(fn, function (/** @type {Office.AddinCommands.Event} */ event) {
        return runRibbonFunction(RIBBON_FUNCTIONS[/** @type {"ilrkitValidate"|"ilrkitClear"} */ (fn)], event);
      });
    }
  });
  SCRIPTS.forEach(function (name) {
    var button = document.getElementById("btn-" + name);
    if (button) { button.onclick = function () { runAction(name); }; }
  });
  var wanted = new URLSearchParams(window.location.search).get("action");
  if (wanted && SCRIPTS.indexOf(wanted) >= 0 && wanted !== "import") { runAction(wanted); }
  if (wanted === "import") { show("Choose the ILR XML file, then click Import ILR XML."); }
}

Office.onReady(start);

// For the tests under addin/js-tests (node): the browser ignores this.
/** @type {any} */ (globalThis).ilrkitAddin = {
  HANDLERS: HANDLERS, RIBBON_FUNCTIONS: RIBBON_FUNCTIONS, SCRIPTS: SCRIPTS, TOKEN_NEEDED: TOKEN_NEEDED,
  getBookData: getBookData, applyActions: applyActions, runScript: runScript, runAction: runAction,
  runRibbonFunction: runRibbonFunction, start: start
};
