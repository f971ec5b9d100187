/// <reference types="vite/client" />

/** @crxjs/vite-plugin: the output path of a script built for `scripting.executeScript`. */
declare module '*?script' {
  const path: string;
  export default path;
}
