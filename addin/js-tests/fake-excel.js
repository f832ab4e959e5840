// A workbook in memory behind the Office.js API that ilrkit.js uses, for node tests.
//
// `Office` and `Excel` (with Excel.run, the request context and the workbook) are office-addin-mock objects,
// Microsoft's mock of the Office.js API: reading workbook.name before load() and sync() gives its "not loaded"
// error. office-addin-mock cannot mock a collection's `items` (it treats arrays as plain values and refuses
// "items/name" loads), so the worksheets, ranges and notes below are small classes that keep the same rules as
// Office.js: changes wait in a queue until context.sync(), a property reads only after load() and sync(), a
// method Office.js does not have does not exist here either.
"use strict";

const { OfficeMockObject } = require("office-addin-mock");

const NOT_LOADED = "PropertyNotLoaded";

function colLetters(n) {
  let s = "";
  for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) { s = String.fromCharCode(65 + ((n - 1) % 26)) + s; }
  return s;
}

function colIndex(letters) {
  let n = 0;
  for (const ch of letters.toUpperCase()) { n = n * 26 + (ch.charCodeAt(0) - 64); }
  return n - 1;
}

/** "$F$2" or "F2:G3" (0-based row, column, rows, columns) */
function parseAddress(address) {
  const plain = address.split("!").pop().replace(/\$/g, "");
  const [a, b] = plain.split(":");
  const one = (ref) => {
    const m = /^([A-Z]+)(\d+)$/i.exec(ref);
    if (!m) { throw new Error(`InvalidArgument: the address '${address}' is not valid`); }
    return [Number(m[2]) - 1, colIndex(m[1])];
  };
  const [r1, c1] = one(a);
  const [r2, c2] = b ? one(b) : [r1, c1];
  return { row: r1, column: c1, rowCount: r2 - r1 + 1, columnCount: c2 - c1 + 1 };
}

function quoteSheet(name) {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

/** A class whose listed properties read only after load(...) and a sync, as in Office.js. */
class Loadable {
  constructor(book, properties) {
    this._book = book;
    this._properties = properties;
    this._snapshot = {};
  }

  load(names) {
    const wanted = (typeof names === "string" ? names.split(",") : names || []).map((n) => n.trim());
    const paths = new Map(); // property -> the item properties wanted with it ("items/name")
    for (const name of wanted) {
      const [first, ...rest] = name.split("/");
      if (!this._properties.includes(first)) {
        throw new Error(`InvalidArgument: ${this.constructor.name} has no property '${name}' to load`);
      }
      if (!paths.has(first)) { paths.set(first, []); }
      if (rest.length) { paths.get(first).push(rest.join("/")); }
    }
    this._book.queue(() => {
      for (const [first, itemProperties] of paths) {
        const value = this._read(first);
        this._snapshot[first] = value;
        if (!Array.isArray(value)) { continue; }
        for (const item of value) { // "items" alone loads every property of each item, as Office.js does
          for (const property of itemProperties.length ? itemProperties : item._properties || []) {
            if (!item._properties.includes(property)) {
              throw new Error(`InvalidArgument: ${item.constructor.name} has no property '${property}' to load`);
            }
            item._snapshot[property] = item._read(property);
          }
        }
      }
    });
    return this;
  }

  _get(name) {
    if (!(name in this._snapshot)) {
      throw new Error(`${NOT_LOADED}: ${this.constructor.name}.${name} was read before load('${name}') and sync()`);
    }
    return this._snapshot[name];
  }
}

class FakeRange extends Loadable {
  constructor(book, sheet, row, column, rowCount, columnCount, isNull = false) {
    super(book, ["address", "values", "formulas", "rowIndex", "columnIndex", "rowCount", "columnCount"]);
    Object.assign(this, { sheet, row, column, rowCount_: rowCount, columnCount_: columnCount, isNull });
    const range = this;
    this.format = {
      fill: {
        set color(value) { range._each((cell) => { cell.fill = value; }); },
        clear() { range._each((cell) => { cell.fill = null; }); },
      },
      font: {},
      set columnWidth(points) {
        book.queue(() => { for (let c = 0; c < columnCount; c++) { sheet.widths[column + c] = points; } });
      },
    };
    for (const property of ["bold", "italic", "size", "color", "name"]) {
      Object.defineProperty(this.format.font, property, {
        set(value) { range._each((cell) => { cell.font[property] = value; }); },
      });
    }
  }

  _each(change) {
    this._book.queue(() => {
      this._alive();
      for (let r = 0; r < this.rowCount_; r++) {
        for (let c = 0; c < this.columnCount_; c++) { change(this.sheet.cell(this.row + r, this.column + c)); }
      }
    });
  }

  _alive() {
    if (!this._book.sheets.includes(this.sheet)) { throw new Error("ItemNotFound: the range's sheet was deleted"); }
  }

  _read(name) {
    if (name === "address") {
      const first = `${colLetters(this.column)}${this.row + 1}`;
      const last = `${colLetters(this.column + this.columnCount_ - 1)}${this.row + this.rowCount_}`;
      return `${quoteSheet(this.sheet.name)}!${first === last ? first : `${first}:${last}`}`;
    }
    if (name === "values" || name === "formulas") {
      return Array.from({ length: this.rowCount_ }, (_, r) => Array.from({ length: this.columnCount_ }, (_, c) => {
        const cell = this.sheet.peek(this.row + r, this.column + c);
        return name === "formulas" && cell && cell.formula ? cell.formula : cell ? cell.value : "";
      }));
    }
    return { rowIndex: this.row, columnIndex: this.column, rowCount: this.rowCount_, columnCount: this.columnCount_ }[name];
  }

  get isNullObject() {
    if (!this._seen) { throw new Error(`${NOT_LOADED}: isNullObject read before sync()`); }
    return this.isNull;
  }
  get address() { return this._get("address"); }
  get values() { return this._get("values"); }
  get rowIndex() { return this._get("rowIndex"); }
  get columnIndex() { return this._get("columnIndex"); }
  get rowCount() { return this._get("rowCount"); }
  get columnCount() { return this._get("columnCount"); }

  _write(grid, asFormulas) {
    if (!Array.isArray(grid) || grid.length !== this.rowCount_ || grid.some((row) => row.length !== this.columnCount_)) {
      throw new Error(`InvalidArgument: ${this.rowCount_}x${this.columnCount_} range given a grid of another size`);
    }
    this._book.queue(() => {
      this._alive();
      grid.forEach((row, r) => row.forEach((value, c) => {
        const cell = this.sheet.cell(this.row + r, this.column + c);
        cell.formula = null;
        if (typeof value === "string" && value.startsWith("'")) { cell.value = value.slice(1); return; }
        if (asFormulas && typeof value === "string" && value.startsWith("=")) {
          cell.formula = value;
          const link = /^=HYPERLINK\(".*","(.*)"\)$/.exec(value);
          cell.value = link ? link[1].replace(/""/g, '"') : value;
          return;
        }
        if (!asFormulas && typeof value === "string" && value.startsWith("=")) {
          cell.formula = value; // Excel reads a value that starts with = as a formula, wanted or not
        }
        cell.value = value === null ? "" : value;
      }));
    });
  }

  set values(grid) { this._write(grid, false); }
  set formulas(grid) { this._write(grid, true); }

  clear(what) {
    if (what !== "Contents") { throw new Error(`ilrkit's tests only expect clear("Contents"), not ${what}`); }
    this._each((cell) => { cell.value = ""; cell.formula = null; });
  }

  getBoundingRect(other) {
    const row = Math.min(this.row, other.row);
    const column = Math.min(this.column, other.column);
    const lastRow = Math.max(this.row + this.rowCount_, other.row + other.rowCount_);
    const lastCol = Math.max(this.column + this.columnCount_, other.column + other.columnCount_);
    return new FakeRange(this._book, this.sheet, row, column, lastRow - row, lastCol - column);
  }
}

class FakeNote {
  constructor(book, sheet, key) { Object.assign(this, { _book: book, sheet, key }); }
  getLocation() { const { row, column } = parseAddress(this.key); return new FakeRange(this._book, this.sheet, row, column, 1, 1); }
  delete() { this._book.queue(() => { this.sheet.notes.delete(this.key); }); }
}

class FakeNoteCollection extends Loadable {
  constructor(book, sheet) { super(book, ["items"]); this.sheet = sheet; }
  _read() { return [...this.sheet.notes.keys()].map((key) => new FakeNote(this._book, this.sheet, key)); }
  get items() { return this._get("items"); }

  add(cell, content) {
    const target = typeof cell === "string" ? parseAddress(cell) : cell;
    const rows = typeof cell === "string" ? target.rowCount : cell.rowCount_;
    const cols = typeof cell === "string" ? target.columnCount : cell.columnCount_;
    if (rows !== 1 || cols !== 1) { throw new Error("InvalidCellAddress: a note goes on one cell"); }
    this._book.queue(() => {
      const key = `${colLetters(target.column)}${target.row + 1}`;
      if (this.sheet.notes.has(key)) { throw new Error(`InvalidArgument: ${key} already has a note`); }
      this.sheet.notes.set(key, content);
    });
    return null;
  }
}

class FakeWorksheet extends Loadable {
  constructor(book, sheet) { super(book, ["name", "visibility", "position"]); this.sheet = sheet; }
  _read(name) {
    if (name === "position") { return this._book.sheets.indexOf(this.sheet); }
    return this.sheet[name];
  }

  get name() { return this._get("name"); }
  get visibility() { return this._get("visibility"); }
  set visibility(value) {
    if (!["Visible", "Hidden", "VeryHidden"].includes(value)) { throw new Error(`InvalidArgument: visibility ${value}`); }
    this._book.queue(() => { this.sheet.visibility = value; });
  }

  get position() { return this._get("position"); }
  set position(value) {
    this._book.queue(() => {
      const sheets = this._book.sheets;
      sheets.splice(sheets.indexOf(this.sheet), 1);
      sheets.splice(value, 0, this.sheet);
    });
  }

  get notes() { return new FakeNoteCollection(this._book, this.sheet); }
  getRange(address) {
    const { row, column, rowCount, columnCount } = parseAddress(address);
    return new FakeRange(this._book, this.sheet, row, column, rowCount, columnCount);
  }

  getRangeByIndexes(row, column, rowCount, columnCount) {
    return new FakeRange(this._book, this.sheet, row, column, rowCount, columnCount);
  }

  getCell(row, column) { return new FakeRange(this._book, this.sheet, row, column, 1, 1); }
  getUsedRangeOrNullObject(valuesOnly) {
    const used = this.sheet.usedRange(valuesOnly);
    const range = used ? new FakeRange(this._book, this.sheet, ...used) : new FakeRange(this._book, this.sheet, 0, 0, 1, 1, true);
    this._book.queue(() => { range._seen = true; }); // Office.js knows whether it is a null object after a sync
    return range;
  }

  delete() {
    this._book.queue(() => {
      const at = this._book.sheets.indexOf(this.sheet);
      if (at < 0) { throw new Error("ItemNotFound: the sheet was already deleted"); }
      this._book.sheets.splice(at, 1);
      if (this._book.active === this.sheet) { this._book.active = this._book.sheets[0]; }
    });
  }

  activate() { this._book.queue(() => { this._book.active = this.sheet; }); }
}

class FakeWorksheetCollection extends Loadable {
  constructor(book) { super(book, ["items"]); }
  _read() { return this._book.sheets.map((sheet) => new FakeWorksheet(this._book, sheet)); }
  get items() { return this._get("items"); }
  getActiveWorksheet() { return new FakeWorksheet(this._book, this._book.active); }
  add(name) {
    const sheet = new SheetModel(name, [[]]);
    this._book.queue(() => {
      if (this._book.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) {
        throw new Error(`ItemAlreadyExists: a sheet named ${name} exists`);
      }
      this._book.sheets.push(sheet);
    });
    return new FakeWorksheet(this._book, sheet);
  }
}

/** One sheet's contents: cells by "row,column" with value, formula, fill, font; notes by cell; column widths. */
class SheetModel {
  constructor(name, values, visibility = "Visible", notes = []) {
    Object.assign(this, { name, visibility, cells: new Map(), notes: new Map(), widths: {} });
    values.forEach((row, r) => row.forEach((value, c) => {
      if (value !== "" && value !== null) { this.cell(r, c).value = value; }
    }));
    for (const note of notes) { this.notes.set(note.address.replace(/\$/g, ""), note.text || "(someone's note)"); }
  }

  cell(row, column) {
    const key = `${row},${column}`;
    if (!this.cells.has(key)) { this.cells.set(key, { value: "", formula: null, fill: null, font: {} }); }
    return this.cells.get(key);
  }

  peek(row, column) { return this.cells.get(`${row},${column}`); }
  at(address) { const { row, column } = parseAddress(address); return this.peek(row, column) || { value: "", fill: null, font: {} }; }

  usedRange(valuesOnly) {
    let rows = -1;
    let cols = -1;
    let top = Infinity;
    let left = Infinity;
    for (const [key, cell] of this.cells) {
      if (valuesOnly && cell.value === "" && !cell.formula) { continue; }
      const [r, c] = key.split(",").map(Number);
      rows = Math.max(rows, r); cols = Math.max(cols, c); top = Math.min(top, r); left = Math.min(left, c);
    }
    return rows < 0 ? null : [top, left, rows - top + 1, cols - left + 1];
  }

  /** The values from A1 to the end of the used range, as a grid (what xlwings' payload holds). */
  grid() {
    const used = this.usedRange(true);
    if (!used) { return [[]]; }
    const [top, left, rows, cols] = used;
    return Array.from({ length: top + rows }, (_, r) => Array.from({ length: left + cols }, (_, c) => {
      const cell = this.peek(r, c);
      return cell ? cell.value : "";
    }));
  }
}

/** The whole fake: a workbook model and the `Office`/`Excel` globals that reach it. */
class FakeExcel {
  constructor(payload, { notesSupported = true, dialogs = true } = {}) {
    this.sheets = payload.sheets.map((s) => new SheetModel(s.name, s.values, s.visibility, s.notes || []));
    this.active = this.sheets[payload.book.active_sheet_index || 0];
    this.pending = [];
    this.synced = new WeakSet();
    this.created = [];
    this.dialogs = [];
    this.associated = {};
    this.running = 0; // Excel.run callbacks under way
    const fake = this;
    const context = {
      workbook: { name: payload.book.name },
      sync: async function () {
        await OfficeMockObject.prototype.sync.call(this);
        fake.flush();
      },
    };
    this.Excel = new OfficeMockObject({
      context,
      run: async function (callback) {
        fake.running += 1;
        try { return await callback(this.context); } finally { fake.running -= 1; }
      },
      createWorkbook: async function (base64) { fake.created.push(base64); },
    });
    this.Excel.context.workbook.worksheets = new FakeWorksheetCollection(this);
    this.Office = new OfficeMockObject({
      context: {
        requirements: {
          isSetSupported: (name, version) => (name === "ExcelApi" ? notesSupported || Number(version) < 1.18 : dialogs),
        },
        ui: {
          displayDialogAsync: (url, options, callback) => {
            const dialog = { url, handlers: new Map(), closed: false, duringRun: fake.running > 0 };
            dialog.api = {
              addEventHandler: (type, handler) => { dialog.handlers.set(type, handler); },
              close: () => { dialog.closed = true; },
            };
            fake.dialogs.push(dialog);
            callback({ status: fake.Office.AsyncResultStatus.Succeeded, value: dialog.api });
          },
          messageParent: (message) => { fake.messagedParent = message; },
        },
      },
      actions: { associate: (name, handler) => { fake.associated[name] = handler; } },
      onReady: (callback) => { fake.ready = callback; },
      AsyncResultStatus: { Succeeded: {}, Failed: {} },
      EventType: { DialogMessageReceived: {}, DialogEventReceived: {} },
    });
  }

  queue(change) { this.pending.push(change); }
  flush() {
    const changes = this.pending;
    this.pending = [];
    for (const change of changes) { change(); }
  }

  sheet(name) { return this.sheets.find((s) => s.name === name); }
  names() { return this.sheets.map((s) => s.name); }

  /** Close the last dialog as the user would, with its OK button. */
  pressOk() {
    const dialog = this.dialogs[this.dialogs.length - 1];
    dialog.handlers.get(this.Office.EventType.DialogMessageReceived)({ message: "close" });
  }
}

module.exports = { FakeExcel, parseAddress, colLetters };
