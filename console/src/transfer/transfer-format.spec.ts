import { exportFileName, formatOfFile } from './transfer-format.js';

describe('transfer formats', () => {
  it('reads the format of a picked file from its name', () => {
    expect(formatOfFile('prod.JSON')).toBe('json');
    expect(formatOfFile('values.yml')).toBe('yaml');
    expect(formatOfFile('values.yaml')).toBe('yaml');
    expect(formatOfFile('.env')).toBe('dotenv');
    expect(formatOfFile('.env.production')).toBe('dotenv');
  });

  it('names an export after the namespace and the format', () => {
    expect(exportFileName('payments', 'dotenv')).toBe('payments.env');
    expect(exportFileName('payments', 'yaml')).toBe('payments.yaml');
  });
});
