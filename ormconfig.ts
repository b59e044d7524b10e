import { DataSource } from 'typeorm';
import { dataSourceOptions } from './src/database/data-source-options';

// The migration CLI's DataSource (npm run migration:generate|run|revert); it needs a real server.
const url = process.env.DATABASE_URL;
if (!url) {
  throw new Error('DATABASE_URL must point at the PostgreSQL whose schema the CLI manages');
}

export default new DataSource(dataSourceOptions({ url }));
