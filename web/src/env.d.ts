// Vite turns stylesheet imports into <link> tags; TypeScript only needs to know they exist.
declare module '*.css';
