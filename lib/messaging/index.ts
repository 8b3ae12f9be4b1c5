export * from './client';
export * from './envelope';
export * from './protocol';
export * from './router';
export * from './sender';
export * from './views';
