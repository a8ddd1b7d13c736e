import { render } from 'preact';
import { App } from './app.jsx';
import { currentLang } from './i18n.js';
import './styles.css';

document.documentElement.lang = currentLang() === 'zh' ? 'zh-CN' : 'en';
const root = document.getElementById('app');
root.textContent = '';
render(<App />, root);
