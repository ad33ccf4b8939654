/**
 * The 报表 page's other downloads for the same period and filters (issue 11 §5): the case ledger
 * (台账) as Excel — the policy's columns, personal data as the reader may see it — and the
 * figures as a PDF report, both in the UI language.
 */
import { Button } from 'antd';
import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function ReportExportButtons({ query }: { query: Record<string, string | undefined> }) {
  const { t, i18n } = useTranslation();
  const qs = new URLSearchParams({ ...(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<string, string>), lang: i18n.language }).toString();
  return (
    <>
      <Button icon={<FileExcelOutlined />} href={`/api/v1/reports/ledger.xlsx?${qs}`} download data-testid="reports-ledger">
        {t('print.ledger')}
      </Button>
      <Button icon={<FilePdfOutlined />} href={`/api/v1/reports/statistics.pdf?${qs}`} download data-testid="reports-pdf">
        {t('print.statisticsPdf')}
      </Button>
    </>
  );
}
