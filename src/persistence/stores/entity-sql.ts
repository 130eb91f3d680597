import { QueryFailedError, type DataSource, type EntityMetadata, type ObjectLiteral } from 'typeorm';
import { isStorageUnavailable } from '../../errors/storage-unavailable.js';
import { sha256Hex } from '../../internal/sha256.js';

/** A column as the driver needs it: its name in SQL and in the entity, and TypeORM's metadata for value conversion. */
type Column = EntityMetadata['columns'][number];

/** What a better-sqlite3 prepared statement offers here. */
interface SqliteStatement {
  all(...parameters: unknown[]): ObjectLiteral[];
  run(...parameters: unknown[]): unknown;
}

/** The better-sqlite3 connection TypeORM's driver holds (its one connection: statements run synchronously). */
interface SqliteConnection {
  prepare(text: string): SqliteStatement;
}

/** node-postgres' pool as TypeORM's PostgreSQL driver holds it (`driver.master`), and one of its connections. */
interface PostgresPool {
  connect(): Promise<PostgresConnection>;
}
interface PostgresConnection {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: ObjectLiteral[] }>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  /** With an error: the connection is closed instead of returned to the pool. */
  release(error?: Error): void;
}

/** A connection's `error` event while checked out: the statement running on it fails with the same error. */
function ignoreConnectionError(): void {}

/** An error the server answered with (a five-character SQLSTATE): the connection is still good. */
function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
}

/**
 * Runs constant statements: prepared once on better-sqlite3's connection (synchronous, so no other statement can
 * come between the steps of one); on PostgreSQL as named prepared statements on the driver's pool (each connection
 * parses and plans one once, instead of per query; the name is derived from the text); through `DataSource.query`
 * on any other driver.
 */
class StatementRunner {
  private readonly prepared = new Map<string, SqliteStatement>();
  /** PostgreSQL statement names by text. */
  private readonly names = new Map<string, string>();
  /** The connection `prepared` belongs to (a DataSource opened again has a new one). */
  private preparedOn?: SqliteConnection;

  constructor(private readonly dataSource: DataSource) {}

  /** Resolves the rows of a statement that reads. Failures reject with TypeORM's `QueryFailedError`, as queries do. */
  async rows(text: string, parameters: unknown[]): Promise<ObjectLiteral[]> {
    const connection = this.sqlite();
    if (!connection) return this.elsewhere(text, parameters);
    try {
      return this.statement(connection, text).all(...parameters);
    } catch (error) {
      throw new QueryFailedError(text, parameters, error as Error);
    }
  }

  /** Runs a statement that writes. */
  async write(text: string, parameters: unknown[]): Promise<void> {
    const connection = this.sqlite();
    if (!connection) {
      await this.elsewhere(text, parameters);
      return;
    }
    try {
      this.statement(connection, text).run(...parameters);
    } catch (error) {
      throw new QueryFailedError(text, parameters, error as Error);
    }
  }

  /** PostgreSQL: a named statement on the pool; any other driver: `DataSource.query`. */
  private async elsewhere(text: string, parameters: unknown[]): Promise<ObjectLiteral[]> {
    const pool = this.postgres();
    if (!pool) return (await this.dataSource.query(text, parameters)) as ObjectLiteral[];
    const connection = await pool.connect();
    // pg-pool listens for a broken connection only while it is idle: checked out, an `error` event without a listener
    // (the server restarting under a running statement) would be an uncaught exception and end the process. The
    // statement fails with it anyway.
    connection.on('error', ignoreConnectionError);
    let rows: ObjectLiteral[];
    try {
      ({ rows } = await connection.query({ name: this.nameOf(text), text, values: parameters }));
    } catch (error) {
      // pg-pool's own `query` would close the connection on any error, and its prepared statements with it; a
      // constraint violation (a lost race) keeps it, as TypeORM's query runner does; a server going away
      // (57P01 and the like: `isStorageUnavailable`) does not.
      connection.removeListener('error', ignoreConnectionError);
      connection.release(isServerError(error) && !isStorageUnavailable(error) ? undefined : (error as Error));
      throw new QueryFailedError(text, parameters, error as Error);
    }
    connection.removeListener('error', ignoreConnectionError);
    connection.release();
    return rows;
  }

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) {
      name = `authnest_${sha256Hex(text).slice(0, 24)}`;
      this.names.set(text, name);
    }
    return name;
  }

  /** The PostgreSQL driver's pool while the DataSource is open; undefined for other drivers. */
  private postgres(): PostgresPool | undefined {
    if (this.dataSource.options.type !== 'postgres' || !this.dataSource.isInitialized) return undefined;
    return (this.dataSource.driver as unknown as { master?: PostgresPool }).master;
  }

  /** The better-sqlite3 connection while the DataSource is open on it; undefined for other drivers. */
  private sqlite(): SqliteConnection | undefined {
    if (this.dataSource.options.type !== 'better-sqlite3' || !this.dataSource.isInitialized) return undefined;
    return (this.dataSource.driver as unknown as { databaseConnection?: SqliteConnection }).databaseConnection;
  }

  private statement(connection: SqliteConnection, text: string): SqliteStatement {
    if (this.preparedOn !== connection) {
      this.prepared.clear();
      this.preparedOn = connection;
    }
    let statement = this.prepared.get(text);
    if (!statement) {
      statement = connection.prepare(text);
      this.prepared.set(text, statement);
    }
    return statement;
  }
}

/**
 * Constant SQL text for an entity's hottest statements, run with `DataSource.query`: TypeORM's query builder spends
 * far longer building a statement than SQLite spends running it, and it inlines numbers into the text (so no
 * statement is ever reused). Values go through the driver's own conversions (`preparePersistentValue`,
 * `prepareHydratedValue`: transformers, booleans, PostgreSQL's bigint strings), so rows read and written here are
 * the rows the repositories read and write. Identifiers are escaped and placeholders made by the driver, so the
 * text fits SQLite and PostgreSQL alike.
 */
export class EntitySql<E extends ObjectLiteral> {
  private readonly metadata: EntityMetadata;
  private readonly columns: readonly Column[];
  private readonly table: string;
  /** `INSERT` of every column (in `columns` order) of 1, 2, ... rows. */
  private readonly insertTexts: string[] = [];
  private readonly insertHead: string;
  /** Every column, escaped, in `columns` order. */
  private readonly names: string;
  /** `selectIn` texts by property, then by count of values. */
  private readonly selectInTexts = new Map<string, string[]>();
  private readonly runner: StatementRunner;

  constructor(
    private readonly dataSource: DataSource,
    entity: new () => E,
  ) {
    this.runner = new StatementRunner(dataSource);
    this.metadata = dataSource.getMetadata(entity);
    this.columns = this.metadata.columns;
    const driver = dataSource.driver;
    this.table = this.metadata.tablePath
      .split('.')
      .map((part) => (part === '' ? part : driver.escape(part)))
      .join('.');
    this.names = this.columns.map((column) => driver.escape(column.databaseName)).join(', ');
    this.insertHead = `INSERT INTO ${this.table} (${this.names}) VALUES `;
  }

  /**
   * The text of a `SELECT` of every column of the rows where each of `properties` equals a parameter (in that
   * order), at most `limit` rows. Build it once, run it with `select`.
   */
  selectText(properties: readonly (keyof E & string)[], limit = 1): string {
    const driver = this.dataSource.driver;
    const where = properties.map((property, index) => `${driver.escape(this.column(property).databaseName)} = ${driver.createParameter(`w${index}`, index)}`);
    return `SELECT ${this.names} FROM ${this.table} WHERE ${where.join(' AND ')} LIMIT ${limit}`;
  }

  /**
   * The rows whose `property` is one of `values` (a `WHERE ... IN` statement per count of values, built once), as
   * entities, in no particular order.
   */
  async selectIn(property: keyof E & string, values: readonly unknown[]): Promise<E[]> {
    if (values.length === 0) return [];
    let text = this.selectInTexts.get(property)?.[values.length];
    if (text === undefined) {
      const driver = this.dataSource.driver;
      const parameters = values.map((_, index) => driver.createParameter(`v${index}`, index)).join(', ');
      text = `SELECT ${this.names} FROM ${this.table} WHERE ${driver.escape(this.column(property).databaseName)} IN (${parameters})`;
      const texts = this.selectInTexts.get(property) ?? [];
      texts[values.length] = text;
      this.selectInTexts.set(property, texts);
    }
    const rows = await this.runner.rows(text, [...values]);
    return rows.map((row) => this.hydrate(row));
  }

  /** Runs a `selectText` statement; resolves the first row as an entity, or null. */
  async selectOne(text: string, parameters: readonly unknown[]): Promise<E | null> {
    const rows = await this.runner.rows(text, [...parameters]);
    return rows.length === 0 ? null : this.hydrate(rows[0]!);
  }

  /**
   * Inserts `entities` in one statement (so all or none), every column (an undefined property is stored as NULL),
   * without reading anything back.
   */
  async insert(...entities: E[]): Promise<void> {
    if (entities.length === 0) return;
    const driver = this.dataSource.driver;
    const values: unknown[] = [];
    for (const entity of entities) {
      for (const column of this.columns) {
        const value: unknown = driver.preparePersistentValue(entity[column.propertyName as keyof E], column);
        values.push(value === undefined ? null : value);
      }
    }
    await this.runner.write(this.insertText(entities.length), values);
  }

  private insertText(rows: number): string {
    let text = this.insertTexts[rows];
    if (text === undefined) {
      const driver = this.dataSource.driver;
      const width = this.columns.length;
      const tuples = Array.from({ length: rows }, (_, row) => `(${this.columns.map((_, index) => driver.createParameter(`p${row * width + index}`, row * width + index)).join(', ')})`);
      text = this.insertHead + tuples.join(', ');
      this.insertTexts[rows] = text;
    }
    return text;
  }

  /** A raw row (keyed by column name) as an entity, every column converted by the driver. */
  private hydrate(row: ObjectLiteral): E {
    const driver = this.dataSource.driver;
    const entity = this.metadata.create(undefined, { fromDeserializer: true }) as E;
    for (const column of this.columns) {
      (entity as ObjectLiteral)[column.propertyName] = driver.prepareHydratedValue(row[column.databaseName], column);
    }
    return entity;
  }

  private column(property: string): Column {
    const column = this.columns.find((candidate) => candidate.propertyName === property);
    if (!column) throw new Error(`authnest: ${this.metadata.name} has no column ${property}`);
    return column;
  }
}
