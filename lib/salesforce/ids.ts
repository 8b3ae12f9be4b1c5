// Salesforce record ids (api-facts A12). A 15-character id is case-sensitive; the 18-character
// form appends three checksum characters that encode which of the first 15 are upper case, so it
// survives case-insensitive tools (Excel, some URLs). The log stores and compares 18-character ids.

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_15 = /^[a-zA-Z0-9]{15}$/;
const ID_18 = /^[a-zA-Z0-9]{15}[a-zA-Z0-5]{3}$/;

const isUpper = (char: string) => char >= 'A' && char <= 'Z';
const isLetter = (char: string) => /[a-zA-Z]/.test(char);

/** The three checksum characters of a case-exact 15-character id. */
function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    // Bit j is the chunk's j-th character (the first character is the lowest bit).
    for (let j = 0; j < 5; j++) if (isUpper(id15[chunk * 5 + j]!)) bits |= 1 << j;
    suffix += SUFFIX_ALPHABET[bits];
  }
  return suffix;
}

/**
 * Restores the case of an 18-character id's first 15 characters from its suffix, or returns
 * undefined when the suffix marks a digit as upper case (the id was not made by Salesforce).
 */
function restoreCase(id18: string): string | undefined {
  let id15 = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(id18[15 + chunk]!.toUpperCase());
    for (let j = 0; j < 5; j++) {
      const char = id18[chunk * 5 + j]!;
      const upper = (bits & (1 << j)) !== 0;
      if (upper && !isLetter(char)) return undefined;
      id15 += upper ? char.toUpperCase() : char.toLowerCase();
    }
  }
  return id15;
}

/** True for a well-formed 15-character id or an 18-character id whose checksum is consistent. */
export function isSalesforceId(value: string): boolean {
  if (ID_15.test(value)) return true;
  return ID_18.test(value) && restoreCase(value) !== undefined;
}

/**
 * The canonical 18-character form of a 15- or 18-character id. An 18-character id in any letter
 * case (e.g. lower-cased by a spreadsheet) comes back with its original case and an upper-case
 * suffix, so both forms of one record compare equal.
 */
export function toId18(id: string): string {
  if (isCanonical18(id)) return id;
  if (ID_15.test(id)) return id + checksum(id);
  if (ID_18.test(id)) {
    const id15 = restoreCase(id);
    if (id15 !== undefined) return id15 + checksum(id15);
  }
  throw new Error(`Not a Salesforce record id (15 or 18 letters and digits): "${id}"`);
}

/**
 * An 18-character id as Salesforce writes it (each letter's case what its suffix says, the suffix
 * upper case): toId18 gives it back unchanged, without rebuilding it character by character — the
 * engine normalises every outcome's id, and ids from the API are all like this.
 */
function isCanonical18(id: string): boolean {
  if (id.length !== 18) return false;
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = SUFFIX_ALPHABET.indexOf(id[15 + chunk]!);
    if (bits < 0) return false;
    for (let j = 0; j < 5; j++) {
      const code = id.charCodeAt(chunk * 5 + j);
      const upper = code >= 65 && code <= 90;
      const lowerOrDigit = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
      if ((bits & (1 << j)) !== 0 ? !upper : !lowerOrDigit) return false;
    }
  }
  return true;
}

/** The case-sensitive 15-character form (what older Salesforce UIs and reports show). */
export function toId15(id: string): string {
  return toId18(id).slice(0, 15);
}
