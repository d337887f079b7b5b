/**
 * Chart.js charts, loaded only by the dashboard (dynamic import): only the controllers, elements and scales
 * used here are registered, so the rest of Chart.js is tree-shaken away.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { formatWon } from './format';

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

const REVENUE_COLOUR = '#2563eb';
const NET_COLOUR = '#059669';

/** Draws the chart on the canvas; redrawn only when one of `inputs` changes. */
function useChart(build: () => ChartConfiguration, inputs: unknown[]) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const buildRef = useRef(build);
  buildRef.current = build;
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, buildRef.current());
    return () => chart.destroy();
  }, inputs);
  return canvas;
}

const wonTicks = { callback: (value: string | number) => formatWon(Number(value)) };

export interface SalesChartProps {
  labels: string[];
  revenue: number[];
  net: number[];
  revenueLabel: string;
  netLabel: string;
  ariaLabel: string;
}

export function SalesChart({ labels, revenue, net, revenueLabel, netLabel, ariaLabel }: SalesChartProps) {
  const canvas = useChart(
    () =>
      ({
        type: 'bar',
        data: {
          labels,
          datasets: [
            { type: 'bar', label: revenueLabel, data: revenue, backgroundColor: REVENUE_COLOUR },
            {
              type: 'line',
              label: netLabel,
              data: net,
              borderColor: NET_COLOUR,
              backgroundColor: NET_COLOUR,
            },
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { beginAtZero: true, ticks: wonTicks } },
          plugins: {
            tooltip: {
              callbacks: { label: (item) => `${item.dataset.label}: ${formatWon(Number(item.raw))}` },
            },
          },
        },
      }) as ChartConfiguration,
    [labels, revenue, net, revenueLabel, netLabel],
  );
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={ariaLabel} data-testid="sales-chart" />
    </div>
  );
}

export interface TopProductsChartProps {
  labels: string[];
  revenue: number[];
  revenueLabel: string;
  ariaLabel: string;
}

export function TopProductsChart({ labels, revenue, revenueLabel, ariaLabel }: TopProductsChartProps) {
  const canvas = useChart(
    () => ({
      type: 'bar',
      data: { labels, datasets: [{ label: revenueLabel, data: revenue, backgroundColor: REVENUE_COLOUR }] },
      options: {
        indexAxis: 'y',
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { beginAtZero: true, ticks: wonTicks } },
        plugins: { legend: { display: false } },
      },
    }),
    [labels, revenue, revenueLabel],
  );
  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={ariaLabel} data-testid="top-products-chart" />
    </div>
  );
}
