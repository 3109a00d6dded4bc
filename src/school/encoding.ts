/**
 * The character set of a file from a school's own system. Older Danish school systems write their
 * text exports in Windows-1252 (Latin-1 with a few extra signs) rather than UTF-8: there æ, ø, å
 * and the field separator ¤ are single bytes that are not valid UTF-8. So the bytes decide, not
 * the sender's label (spreadsheets and upload forms often get that wrong): valid UTF-8 is read as
 * UTF-8, anything else as Windows-1252, which maps every byte to a character.
 */
export type FileEncoding = 'utf-8' | 'windows-1252';

export interface DecodedFile {
  readonly text: string;
  readonly encoding: FileEncoding;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
const windows1252 = new TextDecoder('windows-1252');

export function decodeSchoolFile(bytes: Uint8Array): DecodedFile {
  try {
    return { text: strictUtf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: windows1252.decode(bytes), encoding: 'windows-1252' };
  }
}
