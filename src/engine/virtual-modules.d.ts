/** The handler worker bundled as one script, as text (see the Vite plugin). */
declare module "virtual:tasklab-handler-worker" {
  const source: string;
  export default source;
}
