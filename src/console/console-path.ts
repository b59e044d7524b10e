/** Where the web console is served; main.ts prints it without loading the application. */
export const CONSOLE_PATH = '/console/';
