/** The playground's entry: styles, the store, and the page. */
import { createRoot } from "react-dom/client";
import example from "../engine/examples/email.ts?raw";
import { loadCode } from "./editor/persist.ts";
import { Root } from "./Root.tsx";
import { loadEngine } from "./session/loadEngine.ts";
import { createAppStore } from "./store/store.ts";
import "./styles.css";

const element = document.getElementById("root");
if (!element) throw new Error('index.html needs a <div id="root">');

createRoot(element).render(
  <Root
    store={createAppStore()}
    initialCode={loadCode(example)}
    loadEngine={loadEngine}
  />,
);
