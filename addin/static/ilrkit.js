// ilrkit in Excel on the web and Mac: send the workbook to the ilrkit server as xlwings' JSON payload,
// then apply the actions it answers with (colours, notes, the "ILR errors" sheet, imported rows).
// The server runs the same Python actions as the desktop add-in, on xlwings' remote engine.
/* global Office, Excel */
"use strict";

// Ribbon buttons that run without the task pane; the others open the pane with ?action=<name>.
var RIBBON_FUNCTIONS = { ilrkitValidate: "validate", ilrkitClear: "clear" };
// Task-pane actions, each a script on the server (same names as its routes).
var SCRIPTS = ["validate", "clear", "export", "import", "new-template"];

function scriptUrl(name) {
  // The pages are served by the same router as the scripts, so a relative address reaches them.
  return new URL(name, window.location.href).toString();
}

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
    version: null,
    book: { name: workbook.name, active_sheet_index: active.position },
    names: [],
    sheets: sheets.items.map(function (sheet, i) {
      var grid = grids[i];
      return {
        name: sheet.name,
        visibility: sheet.visibility,
        values: grid ? grid.values : [[]],
        used_range_address: grid ? grid.address.split("!").pop() : null,
        notes_supported: notesSupported,
        notes: notesSupported ? locations[i].map(function (r) { return { address: r.address.split("!").pop() }; }) : [],
        pictures: [], shapes: [], charts: [], tables: [], pivot_tables: []
      };
    })
  };
}

function targetRange(context, action) {
  var sheet = context.workbook.worksheets.getItemAt(action.sheet_position);
  return sheet.getRangeByIndexes(action.start_row, action.start_column, action.row_count, action.column_count);
}

// One handler per xlwings action the ilrkit scripts emit (tests check the list stays complete).
var HANDLERS = {
  setValues: function (context, action) {
    var range = targetRange(context, action);
    var hasFormula = action.values.some(function (row) {
      return row.some(function (v) { return typeof v === "string" && v.charAt(0) === "="; });
    });
    if (hasFormula) { range.formulas = action.values; } else { range.values = action.values; }
  },
  rangeClearContents: function (context, action) { targetRange(context, action).clear("Contents"); },
  setRangeColor: function (context, action) {
    var range = targetRange(context, action);
    if (action.args[0]) { range.format.fill.color = action.args[0]; } else { range.format.fill.clear(); }
  },
  addNote: function (context, action) {
    context.workbook.worksheets.getItemAt(action.sheet_position).notes.add(action.args[0], action.args[1]);
  },
  deleteNote: function (context, action) {
    context.workbook.worksheets.getItemAt(action.sheet_position).notes.getItem(action.args[0]).delete();
  },
  addSheet: function (context, action) {
    var sheet = context.workbook.worksheets.add(action.args[1]);
    sheet.position = action.args[0];
  },
  sheetDelete: function (context, action) {
    context.workbook.worksheets.getItemAt(action.sheet_position).delete();
  },
  setSheetVisibility: function (context, action) {
    context.workbook.worksheets.getItemAt(action.sheet_position).visibility = action.args[0];
  },
  activateSheet: function (context, action) {
    context.workbook.worksheets.getItemAt(action.args[0]).activate();
  },
  setFontProperty: function (context, action) {
    targetRange(context, action).format.font[action.args[0]] = action.args[1];
  },
  setColumnWidth: function (context, action) {
    // xlwings passes Excel's width in characters; Office.js wants points (about 6 per character)
    targetRange(context, action).format.columnWidth = action.args[0] * 6;
  }
};

async function applyActions(context, actions) {
  for (var i = 0; i < actions.length; i++) {
    var handler = HANDLERS[actions[i].func];
    if (!handler) { throw new Error("ilrkit cannot apply '" + actions[i].func + "' yet"); }
    handler(context, actions[i]);
    await context.sync(); // in order: a sheet must exist before values are written to it
  }
}

function show(text) {
  var status = document.getElementById("status");
  if (status) { status.textContent = text; }
}

function ask(question) {
  // The task pane asks in the page itself: Office add-ins may not use window.confirm.
  return new Promise(function (resolve) {
    var box = document.getElementById("question");
    if (!box) { resolve(false); return; }
    document.getElementById("question-text").textContent = question;
    box.style.display = "block";
    document.getElementById("question-yes").onclick = function () { box.style.display = "none"; resolve(true); };
    document.getElementById("question-no").onclick = function () { box.style.display = "none"; resolve(false); };
  });
}

function download(file) {
  var bytes = Uint8Array.from(atob(file.content_base64), function (c) { return c.charCodeAt(0); });
  var link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
  link.download = file.filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function readChosenFile() {
  return new Promise(function (resolve, reject) {
    var input = document.getElementById("xml-file");
    if (!input || !input.files.length) { reject(new Error("Choose the ILR XML file first (above the Import button).")); return; }
    var reader = new FileReader();
    reader.onload = function () { resolve({ name: input.files[0].name, base64: reader.result.split(",").pop() }); };
    reader.onerror = function () { reject(new Error("The file could not be read.")); };
    reader.readAsDataURL(input.files[0]);
  });
}

// The token stays in this browser's storage for the add-in's own web address; it is only ever sent to it.
function savedToken() {
  var field = document.getElementById("token");
  if (field && field.value) { localStorage.setItem("ilrkit-token", field.value.trim()); }
  return localStorage.getItem("ilrkit-token") || "";
}

async function runScript(name, extra) {
  show("Working...");
  try {
    await Excel.run(async function (context) {
      var body = Object.assign({ book: await getBookData(context) }, extra || {});
      var headers = { "Content-Type": "application/json" };
      var token = savedToken();
      if (token) { headers.Authorization = "Bearer " + token; }
      var response = await fetch(scriptUrl(name), { method: "POST", headers: headers, body: JSON.stringify(body) });
      if (response.status === 401) {
        show("The server needs your access token: open the ILR task pane, type the token, then try again.");
        return;
      }
      var answer = await response.json();
      await applyActions(context, answer.actions || []);
      if (answer.question) {
        if (await ask(answer.question)) { await runScript(name, Object.assign({}, extra, { confirmed: true })); }
        else { show("Nothing was changed."); }
        return;
      }
      if (answer.download && name === "new-template") {
        Excel.createWorkbook(answer.download.content_base64);
      } else if (answer.download) {
        download(answer.download);
      }
      show(answer.message || "");
    });
  } catch (error) {
    show("Sorry: " + error.message);
  }
}

async function runAction(name) {
  if (name === "import") {
    try {
      var file = await readChosenFile();
      return runScript("import", { xml_base64: file.base64, xml_name: file.name });
    } catch (error) { show(error.message); return; }
  }
  return runScript(name);
}

Office.onReady(function () {
  var tokenField = document.getElementById("token");
  if (tokenField) { tokenField.value = localStorage.getItem("ilrkit-token") || ""; }
  Object.keys(RIBBON_FUNCTIONS).forEach(function (fn) {
    if (Office.actions && Office.actions.associate) {
      Office.actions.associate(fn, function (event) {
        runScript(RIBBON_FUNCTIONS[fn]).then(function () { event.completed(); });
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
});
