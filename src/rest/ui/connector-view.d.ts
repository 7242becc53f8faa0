// This browser module, as the worker imports it: its text (`with { type: "text" }`), served by routes/ui.ts.
declare const text: string;
export default text;
