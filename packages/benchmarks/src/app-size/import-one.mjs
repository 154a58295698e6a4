// Imports the one module named by KGO_IMPORT: what a single dependency of an app costs to load.
await import(process.env.KGO_IMPORT);
