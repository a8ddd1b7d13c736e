// distributions strings (zh); merged into i18n/zh.js.
export default {
};
