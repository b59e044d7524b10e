/** How a value is to be read; it also fixes the JSON type the value must have. */
export enum ValueType {
  STRING = 'STRING',
  NUMBER = 'NUMBER',
  BOOLEAN = 'BOOLEAN',
  JSON = 'JSON',
  BINARY = 'BINARY',
}
