// Chart.js set up once for every chart of the console (the dashboard's and the ring page's): the
// parts they draw with, and the console's font. Imported for its effect by the lazily loaded charts.
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  Filler,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Filler, Tooltip, Legend);
ChartJS.defaults.font.family = getComputedStyle(document.documentElement).fontFamily || 'system-ui';
ChartJS.defaults.font.size = 11;
