export * from './race-table';
export * from './version-roster';
export * from './admission';
