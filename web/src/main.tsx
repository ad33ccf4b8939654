import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n';
import './app/app.css';
import { App } from './app/App';
import { keyboardScrollableTables } from './app/scroll-regions';

keyboardScrollableTables();
document.documentElement.lang = localStorage.getItem('kesu.lang') ?? 'zh-CN';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
