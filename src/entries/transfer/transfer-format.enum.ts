/** The document formats of export and import. */
export enum TransferFormat {
  DOTENV = 'dotenv',
  JSON = 'json',
  YAML = 'yaml',
}

/** The media type each format is answered with (in UTF-8). */
export const MEDIA_TYPES: Record<TransferFormat, string> = {
  [TransferFormat.DOTENV]: 'text/plain',
  [TransferFormat.JSON]: 'application/json',
  [TransferFormat.YAML]: 'application/yaml',
};
