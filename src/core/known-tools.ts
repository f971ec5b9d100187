/**
 * Default ports of local AI tools. Gradio and Streamlit move to the next free
 * port when theirs is taken, so a short range is protected for them.
 */
export interface KnownTool {
  name: string;
  ports: readonly number[];
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

export const KNOWN_TOOLS: readonly KnownTool[] = [
  { name: 'Gradio', ports: range(7860, 10) },
  { name: 'Streamlit', ports: range(8501, 5) },
  { name: 'ComfyUI', ports: [8188] },
  { name: 'Jupyter', ports: range(8888, 3) },
  { name: 'Open WebUI / llama.cpp / LocalAI', ports: [8080] },
  { name: 'Open WebUI (Docker) / Flowise', ports: [3000] },
  { name: 'InvokeAI', ports: [9090] },
  { name: 'SillyTavern / Chainlit', ports: [8000] },
  { name: 'KoboldCpp', ports: [5001] },
  { name: 'Panel / Bokeh', ports: [5006] },
  { name: 'Dash', ports: [8050] },
  { name: 'TensorBoard', ports: [6006] },
  { name: 'MLflow', ports: [5000] },
];

export const KNOWN_PORTS: readonly number[] = [...new Set(KNOWN_TOOLS.flatMap((t) => t.ports))].sort((a, b) => a - b);
