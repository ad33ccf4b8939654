/**
 * The case page's 打印 (the browser prints CasePrintForm, print.css) and 导出 PDF (the server's
 * dossier, GET /api/v1/complaints/{id}/dossier.pdf, in the reader's language) buttons.
 */
import { Button, Space } from 'antd';
import { FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function CaseExportButtons({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Space size={4}>
      <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="case-print">
        {t('print.print')}
      </Button>
      <Button icon={<FilePdfOutlined />} href={`/api/v1/complaints/${encodeURIComponent(caseId)}/dossier.pdf?lang=${encodeURIComponent(i18n.language)}`} target="_blank" rel="noopener" data-testid="case-pdf">
        {t('print.pdf')}
      </Button>
    </Space>
  );
}
